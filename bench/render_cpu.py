"""CPU per request, in process: ``python -m bench.render_cpu PATHS.json [options]``.

Calls a site's WSGI application (``--app``, Newsroom's by default, configured by the
environment as the benchmark's servers are) in this one process, for each address of
PATHS.json (a JSON list) in turn, with no server and no load generator, and measures the
CPU time each request takes (``time.process_time``). Unlike req/s, that figure hardly moves
when other programs share the machine, and it is what issue 16's "about 8 ms of CPU per
render" means. bench/compare/run.py runs it for every page it compares (Newsroom, Wagtail
and bare Django, each with its own settings and interpreter), so it imports nothing of
Newsroom's. Prints one line of JSON:

    {"cpu_ms": median over the rounds, "rounds": [...], "queries": per request, "kb": ...}

``--parts`` adds where a Django-template page spends it: the CPU of each include, template
tag, cached part and Jinja2 template (inclusive, so nested parts count in their parents too).
``--layers`` adds which code spends it: the share of each layer (the database layer,
Django's templates, Jinja2, the request cycle, the site's own code…) in a profile of the
requests, each function's own time counted once, in the layer of its file. Python's
built-ins and standard library are counted in the layer that called them.
"""

import argparse
import collections
import cProfile
import functools
import gc
import importlib
import json
import pstats
import statistics
import sys
import time
from contextlib import ExitStack, contextmanager
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlsplit

HOST = "127.0.0.1"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) NewsroomLoadTest/1"


@functools.cache
def path_and_query(address: str) -> tuple[str, str]:
    """PATH_INFO and QUERY_STRING, made once: a server's work, not the site's."""
    path, _, query = address.partition("?")
    # WSGI carries the path as latin-1 decoded bytes, as gunicorn hands it over.
    return unquote(urlsplit(path).path).encode().decode("latin-1"), query


def environ(address: str, cookie: str | None) -> dict:
    path, query = path_and_query(address)
    env = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": HOST,
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": HOST,
        "HTTP_USER_AGENT": BROWSER,
        "REMOTE_ADDR": HOST,
        "wsgi.input": BytesIO(),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }
    if cookie:
        env["HTTP_COOKIE"] = cookie
    return env


class Client:
    """The WSGI application, called as a server would; remembers the last status and size."""

    def __init__(self, app):
        self.app = app

    def get(self, address: str, cookie: str | None = None) -> bytes:
        status = []
        body = b"".join(self.app(environ(address, cookie), lambda s, _h: status.append(s)))
        if not status[0].startswith("200"):
            raise SystemExit(f"{address} answered {status[0]}")
        return body


def load_app(spec: str):
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name or "application")


@contextmanager
def counting_queries():
    """Counts the SQL statements of every database connection in the block."""
    from django.db import connections

    counted = collections.Counter()

    def wrapper(execute, sql, params, many, context):
        counted["queries"] += 1
        return execute(sql, params, many, context)

    with ExitStack() as stack:
        for connection in connections.all():
            stack.enter_context(connection.execute_wrapper(wrapper))
        yield counted


@contextmanager
def timing_parts():
    """CPU of each include, template tag, cached part and Jinja2 template in the block."""
    from django.template import library, loader_tags

    spent = collections.Counter()
    nodes = [
        (loader_tags.IncludeNode, lambda node: f"include {node.template.var}"),
        (library.InclusionNode, lambda node: f"tag {node.filename}"),
        (library.SimpleNode, lambda node: f"tag {node.func.__name__}"),
    ]
    try:
        from django.template.backends.jinja2 import Template as Jinja2Template
    except ImportError:  # no Jinja2 installed
        pass
    else:
        nodes.append((Jinja2Template, lambda template: f"jinja2 {template.template.name}"))
    try:
        from caching.templatetags.caching import CachedPartNode
    except ImportError:  # not Newsroom
        pass
    else:
        nodes.append((CachedPartNode, lambda node: f"cached_part {node.name}"))

    def timed(render, name_of):
        def render_timed(self, *args, **kwargs):
            started = time.process_time()
            try:
                return render(self, *args, **kwargs)
            finally:
                spent[name_of(self)] += time.process_time() - started

        return render_timed

    originals = [(cls, cls.render) for cls, _name_of in nodes]
    for cls, name_of in nodes:
        cls.render = timed(cls.render, name_of)
    try:
        yield spent
    finally:
        for cls, render in originals:
            cls.render = render


# The layer of a function, by its file: the first pattern found in the path (with "/"s).
LAYERS = [
    ("/django/db/", "database: Django's ORM"),
    ("/sqlite3/", "database: driver"),
    ("/psycopg/", "database: driver"),
    ("/django/template/", "Django's templates"),
    ("/django/templatetags/", "Django's templates"),
    ("/site-packages/jinja2/", "Jinja2"),
    ("/site-packages/markupsafe/", "Jinja2"),
    ("/django/utils/", "Django's utilities: escaping, translation, formats"),
    ("/django/", "Django's request cycle: handlers, middleware, sessions, URLs, forms"),
    ("/site-packages/", "other libraries"),
]
# Built-ins and the standard library: counted in the layer of their caller.
NEUTRAL = "Python: built-ins and the standard library"


def layer_of(filename: str, site: str) -> str:
    if filename == "~" or filename.startswith("<"):
        return NEUTRAL
    for pattern, layer in LAYERS:
        if pattern in filename:
            return layer
    if filename.startswith(site) or "/templates/" in filename:
        return "the site's own code and templates"
    return NEUTRAL


def layer_shares(profile: cProfile.Profile, site: str) -> dict[str, float]:
    """Each layer's share (%) of the profiled CPU, from each function's own time."""
    stats = pstats.Stats(profile).stats
    spent = collections.Counter()
    for (filename, _line, _name), (_cc, _nc, own, _cum, callers) in stats.items():
        layer = layer_of(filename, site)
        if layer != NEUTRAL:
            spent[layer] += own
            continue
        # A built-in's time, split among its callers as cProfile measured it.
        for (caller_file, _l, _n), edge in callers.items():
            spent[layer_of(caller_file, site)] += edge[2]
        spent[NEUTRAL] += own - sum(edge[2] for edge in callers.values())
    total = sum(spent.values()) or 1
    return {layer: round(100 * cpu / total, 1) for layer, cpu in spent.most_common()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", type=Path, help="a JSON list of addresses, asked in turn")
    parser.add_argument("--app", default="newsroom.wsgi:application", help="module:attribute")
    parser.add_argument("--cookies", type=Path, help="a JSON list of Cookie headers, in turn")
    parser.add_argument("--requests", type=int, default=300, help="per round (300)")
    parser.add_argument("--rounds", type=int, default=3, help="the median is printed (3)")
    parser.add_argument("--warm", type=int, default=1, help="unmeasured passes first (1)")
    parser.add_argument("--parts", action="store_true", help="CPU per template part")
    parser.add_argument("--layers", action="store_true", help="share of the CPU per layer")
    opts = parser.parse_args(argv)
    paths = json.loads(opts.paths.read_text())
    cookies = json.loads(opts.cookies.read_text()) if opts.cookies else [None]

    client = Client(load_app(opts.app))
    # As the servers' workers do once the site is loaded (gunicorn.conf.py, which the
    # benchmark's servers all read, Wagtail's and bare Django's too).
    gc.collect()
    gc.freeze()
    for _ in range(opts.warm):  # code, templates, connections; the caches, where on
        for i, path in enumerate(paths):
            client.get(path, cookies[i % len(cookies)])

    def one_round() -> int:
        """Asks ``--requests`` addresses in turn; the bytes of their answers."""
        return sum(
            len(client.get(paths[i % len(paths)], cookies[i % len(cookies)]))
            for i in range(opts.requests)
        )

    rounds, size = [], 0
    with counting_queries() as queries:
        for _ in range(opts.rounds):
            started = time.process_time()
            size += one_round()
            rounds.append((time.process_time() - started) / opts.requests * 1000)
    measured = opts.rounds * opts.requests
    result = {
        "cpu_ms": round(statistics.median(rounds), 2),
        "rounds": [round(cpu, 2) for cpu in rounds],
        "requests": measured,
        "queries": round(queries["queries"] / measured, 1),
        "kb": round(size / measured / 1024, 1),
    }
    if opts.parts:
        with timing_parts() as spent:
            one_round()
        result["parts_ms"] = {
            name: round(cpu / opts.requests * 1000, 2) for name, cpu in spent.most_common(15)
        }
    if opts.layers:
        profile = cProfile.Profile()
        with profile:
            one_round()
        result["layers_percent"] = layer_shares(profile, f"{Path.cwd()}/")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
