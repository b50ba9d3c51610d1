from datetime import datetime

import pytest
from django.utils import timezone

from tests.factories import AdSlotFactory


@pytest.fixture
def sub_right(db):
    return AdSlotFactory(key="sub-right", name="서브우측", width=300, height=250, max_placements=3)


@pytest.fixture
def sub_banner(db):
    return AdSlotFactory(
        key="sub-banner",
        name="서브광고",
        width=300,
        height=100,
        max_placements=4,
        rotation="weight",
    )


@pytest.fixture
def clock(monkeypatch):
    """Sets what timezone.now() returns, for tests at exact moments (site time zone)."""

    def set_now(*args) -> datetime:
        moment = timezone.make_aware(datetime(*args))
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return set_now
