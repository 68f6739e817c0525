"""`make bench`: Concord's load benchmark, in two parts that also run alone: the pages
(`make bench-pages`, ``python -m bench``, described here) and the membership application
under 50 simultaneous submits (`make bench-applicants`, see ``bench.applicants``).

Seeds a database at the demo's size and one at 100 times it, serves each with gunicorn
(2 workers, production settings) on 127.0.0.1, drives every page of ``bench.pages.PAGES``
with locust for a fixed time, counts each page's queries in-process, and writes
``var/bench/latest.json`` and ``var/bench/latest.md``. See ``python -m bench --help``.

The modules that the orchestrator imports (``pages``, ``report``, ``seed``, ``server``)
import neither Django nor locust: Django runs in ``bench.django_side`` and locust in
``bench.locustfile``, each in a subprocess of its own.
"""
