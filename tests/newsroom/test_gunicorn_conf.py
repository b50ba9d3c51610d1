"""gunicorn.conf.py: the settings every gunicorn worker of the site starts with."""

import gc
import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


@pytest.fixture
def conf(monkeypatch):
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    return runpy.run_path(str(CONF))


def test_no_proxy_is_trusted_unless_named(conf):
    assert conf["forwarded_allow_ips"] == ""


def test_a_worker_freezes_what_it_loaded_so_full_collections_skip_it(conf):
    try:
        conf["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 0
        # What comes after (a page's objects) is collected as before.
        assert gc.isenabled()
    finally:
        gc.unfreeze()
