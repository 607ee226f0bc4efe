"""Mass SMS mailing throughput: this suite against stock Odoo, in one run.

    python3 bench/mailing_sms.py [--sizes 10000 100000] [--rounds N] [--keep]
        [--variants stock suite] [--recipients partner|contact]
        [--gateway-delay SECONDS] [--workers 1 2] [--profile DIR] [--charged]

For each size, the same SMS mailing (mass_mailing_sms, one advertising text to N recipients) is
composed and sent twice, each in a fresh copy of a database the variant's addons were installed
in once per run:

* **stock**: Odoo's mass_mailing_sms alone; its IAP client talks to a local fake IAP endpoint.
* **suite**: sms_notify_campaign (hence sms_notify) with an SMSC.ru gateway pointed at a local
  fake SMSC server; history and cost are kept.

Recipients (``--recipients``): by default contacts (``res.partner``) who agreed to SMS
promotions, so that the suite checks that consent for every SMS, greeted by their first name,
``:FirstName:``, the token the suite renders for each of them; stock Odoo has no first name and
renders ``{{ object.name }}`` instead. ``contact``: mailing list contacts (no customer behind
them: the blacklist is their consent), greeted by name in both.

The mailing is composed in one process, as Odoo's mailing cron does, while a second process
works the SMS queue, as Odoo's SMS cron does in another cron worker: it polls the queue every
20 ms, where Odoo would wake it through the queue's trigger. ``--workers 1 2`` measures the
suite once with one queue worker and once with two, which share the queue as two Odoo workers
or servers do (each claims the messages no other one holds). ``--gateway-delay 0.15`` makes
the fake SMSC answer each request after 150 ms, as real vendors do. *compose* is the time the
mailing takes to create its SMS; *send* the time from then until the queue has handed the last
one over; SMS/s counts the whole, from the click to the last SMS handed over. Whatever a
variant commits before the end of its composition may leave meanwhile. Peak RSS is the largest
of the processes' peaks (one set of processes per variant and size). The fake servers run in
this parent process so their work is not counted. ``--profile DIR`` writes cProfile statistics
of the composition and of each queue worker there (``python3 -m pstats DIR/suite-10000-
compose.prof``); profiling slows every variant down, compare only profiles with each other.

Nothing here runs in the test suite: run it on purpose, on an idle machine.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import types
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import devenv  # noqa: E402
from child import measure_in_child  # noqa: E402

#: the text as the marketer types it; the suite compiles ``:FirstName:`` to its placeholder
TEXT = ":FirstName:, spring sale: -20% on all frames until Sunday. Optika Nova, ul. Długa 5"
#: stock Odoo has no first name: it renders the partner's name, an Odoo placeholder as cheap
STOCK_TEXT = TEXT.replace(":FirstName:", "{{ object.name }}")
#: the first names recipients are given (their first name is read from the name)
FIRST_NAMES = ("Anna", "Piotr", "Ольга", "Jan", "Zofia", "Иван", "Maria", "Tomasz")
VARIANTS = {
    "stock": "mass_mailing_sms",
    "suite": "sms_notify_campaign",
}
#: the suite again with its billing addon, every SMS charged to a prepaid balance (``--charged``)
CHARGED = {"charged": "sms_notify_campaign,sms_notify_billing"}
#: price per SMS part of the shared-name tariff the charged variant sends under
CHARGED_PRICE = 9.8


# --------------------------------------------------------------------------------------
# Fake peers (parent process)
# --------------------------------------------------------------------------------------


def _load_fakes():
    """The suite's protocol fakes, loaded without the addon's Odoo-dependent ``__init__``."""
    for name, path in (
        ("sms_notify", REPO / "sms_notify"),
        ("sms_notify.tests", REPO / "sms_notify" / "tests"),
    ):
        if name not in sys.modules:
            package = types.ModuleType(name)
            package.__path__ = [str(path)]
            sys.modules[name] = package


class FakeIap:
    """Odoo's IAP SMS endpoint accepting every number, counting what it received."""

    def __enter__(self):
        _load_fakes()
        from sms_notify.tests.fakes.iap import iap_accept_all, json_rpc_server  # noqa: PLC0415

        self._server = json_rpc_server(iap_accept_all)
        self.url, self._calls = self._server.__enter__()
        return self

    def __exit__(self, *exc):
        return self._server.__exit__(*exc)

    @property
    def received(self):
        return sum(
            len(message["numbers"])
            for _path, params in self._calls
            for message in params["messages"]
        )


def fake_smsc(delay=0.0):
    """A fake SMSC counting what it received; each request answered ``delay`` seconds after
    it arrived, requests in parallel waiting side by side (a real vendor's latency)."""
    _load_fakes()
    from sms_notify.tests.fakes.smsc import FakeSmsc  # noqa: PLC0415

    class CountingSmsc(FakeSmsc):
        max_records = 16  # the benchmark needs counts, not a copy of every request

        @property
        def received(self):
            return len(self.messages)

        def _answer(self, request):
            if delay:
                # outside the fake's lock, so that concurrent requests wait at the same time
                time.sleep(delay)
            return super()._answer(request)

    return CountingSmsc(login="bench", password="bench", balance=10**9, price=0.01)


# --------------------------------------------------------------------------------------
# Measuring worker (one process per variant and size)
# --------------------------------------------------------------------------------------


def measure(variant, dbname, size, url, odoo_args, options):
    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config(["--database", dbname, *odoo_args])
    registry = odoo.modules.registry.Registry(dbname)
    tag = f"bench-{size}"
    with registry.cursor() as cr:
        env = api.Environment(
            cr, SUPERUSER_ID, {"tracking_disable": True, "mail_create_nolog": True}
        )
        if variant == "stock":
            env["ir.config_parameter"].set_param("sms.endpoint", url)
        else:
            if variant == "charged":
                balance = env["sms.notify.balance"]._get_for_company(env.company)
                balance.tariff_id = env.ref("sms_notify_billing.sms_notify_tariff_shared")
                env["sms.notify.ledger"].create(
                    {"balance_id": balance.id, "kind": "topup", "amount": 100 * size, "name": tag}
                )
            # measured at any hour: promotions composed at night would wait for the morning
            env.company.sms_notify_quiet_advertising = False
            env["sms.notify.gateway"].create(
                {
                    "name": "Bench SMSC",
                    "gateway_type": "smsc",
                    "base_url": url,
                    "login": "bench",
                    "password": "bench",
                }
            )
        model, body = _recipients(env, variant, size, tag, options["recipients"])
        tag_field = "ref" if model == "res.partner" else "name"
        mailing = env["mailing.mailing"].create(
            {
                "subject": tag,
                "mailing_type": "sms",
                "body_plaintext": body,
                "mailing_model_id": env["ir.model"]._get_id(model),
                "mailing_domain": repr([(tag_field, "like", tag)]),
            }
        )
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--queue-worker",
                dbname,
                json.dumps(odoo_args),
                _profile_path(options, variant, size, f"queue{number}"),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for number in range(1, options["workers"] + 1)
    ]
    for worker in workers:
        if worker.stdout.readline().strip() != "ready":
            raise SystemExit("a queue worker did not start")
    profile = _profiler(options, variant, size, "compose")
    # monotonic: the same clock in both processes
    started, started_cpu = time.monotonic(), time.process_time()
    with registry.cursor() as cr, profile:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["mailing.mailing"].browse(mailing.id).action_send_sms()
    composed, compose_cpu = time.monotonic(), time.process_time() - started_cpu
    for worker in workers:
        worker.stdin.write("composed\n")
        worker.stdin.flush()
    emptied = [json.loads(worker.stdout.readline()) for worker in workers]
    if any(worker.wait() for worker in workers):
        raise SystemExit("a queue worker failed")
    sent = max(done["at"] for done in emptied)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        kept = env["sms.sms"].search_count([("to_delete", "=", False)])
        states = dict(env["sms.sms"]._read_group([], ["state"], ["__count"]))
        charges = {}
        if variant == "charged":
            [[parts, priced]] = env["sms.sms"]._read_group(
                [("state", "not in", ("error", "canceled"))], [], ["segments:sum", "price:sum"]
            )
            debited = -sum(
                env["sms.notify.ledger"].search([("kind", "=", "debit")]).mapped("amount")
            )
            # what the ledger took equals the parts sent at the tariff's price, to the kopeck
            charges = {
                "charged": round(debited, 2),
                "expected": round(parts * CHARGED_PRICE, 2),
                "priced_in_history": round(priced, 2),
            }
    return {
        "variant": variant,
        "size": size,
        "compose_s": round(composed - started, 2),
        "send_s": round(sent - composed, 2),
        "sms_per_s": round(size / (sent - started), 1),
        "peak_rss_mb": max(_peak_rss_mb(), *(done["peak_rss_mb"] for done in emptied)),
        # Python's own work in each process (PostgreSQL's is not in it)
        "compose_cpu_s": round(compose_cpu, 2),
        "queue_cpu_s": round(sum(done["cpu_s"] for done in emptied), 2),
        "workers": len(workers),
        "gateway_delay_s": options["gateway_delay"],
        "recipients": options["recipients"],
        "kept_in_history": kept,
        "states": states,
        **charges,
    }


def _recipients(env, variant, size, tag, kind):
    """Create the mailing's ``size`` recipients; return their model and the mailing's text.

    ``partner``: contacts who agreed to SMS promotions (the suite checks that consent for
    every advertising SMS), greeted by their first name, a token the suite renders. Stock
    Odoo has neither: it renders the contact's name. ``contact``: mailing list contacts, which
    have no customer behind them (consent is the blacklist alone), greeted by name in both."""
    if kind == "partner":
        model, number_field = "res.partner", "mobile"
        extra = {"sms_notify_ad_consent": True} if variant != "stock" else {}
        if variant == "stock":
            body = STOCK_TEXT
        else:
            from odoo.addons.sms_notify.tools import tokens  # noqa: PLC0415

            body = tokens.compile_tokens(TEXT, env["res.partner"]._sms_notify_tokens())
    else:
        model, number_field, extra = "mailing.contact", "mobile", {}
        body = STOCK_TEXT
    records = env[model]
    for start in range(0, size, 5000):
        records.create(
            [
                {
                    "name": (
                        f"{FIRST_NAMES[index % len(FIRST_NAMES)]} Nowak"
                        if kind == "partner"
                        else f"{tag} {index}"
                    ),
                    **({"ref": tag} if kind == "partner" else {}),
                    number_field: f"+48 6{index:08d}",
                    **extra,
                }
                for index in range(start, min(size, start + 5000))
            ]
        )
        env.invalidate_all()
    return model, body


def _profile_path(options, variant, size, part):
    if not options.get("profile"):
        return ""
    return str(Path(options["profile"]) / f"{variant}-{size}-{part}.prof")


class _Profiler:
    """cProfile around a block, its statistics written to ``path`` (nothing without one)."""

    def __init__(self, path):
        self.path = path
        self.profile = None

    def __enter__(self):
        if self.path:
            import cProfile  # noqa: PLC0415

            self.profile = cProfile.Profile()
            self.profile.enable()
        return self

    def __exit__(self, *exc):
        if self.profile:
            self.profile.disable()
            self.profile.dump_stats(self.path)


def _profiler(options, variant, size, part):
    return _Profiler(_profile_path(options, variant, size, part))


def _peak_rss_mb():
    import resource  # noqa: PLC0415

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def queue_worker(dbname, odoo_args, profile_path=""):
    """Work the SMS queue until the mailing is composed and nothing is left to send; print
    when that was. Several workers share the queue as Odoo's cron workers would: each takes
    the messages no other one holds (``FOR UPDATE SKIP LOCKED``)."""
    import select  # noqa: PLC0415

    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config(["--database", dbname, *odoo_args])
    registry = odoo.modules.registry.Registry(dbname)
    print("ready", flush=True)
    ready_cpu = time.process_time()
    composed = False
    with _Profiler(profile_path):
        while True:
            # read before looking at the queue: an empty queue only ends the run once
            # everything was composed (and committed) before that look
            composed = composed or bool(select.select([sys.stdin], [], [], 0)[0])
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                # messages another worker holds are its own: only the free ones are work
                cr.execute(
                    "SELECT id FROM sms_sms WHERE state = 'outgoing' LIMIT 1 FOR UPDATE SKIP LOCKED"
                )
                if cr.fetchone():
                    env["sms.sms"]._process_queue()
                    continue
            if composed:
                break
            time.sleep(0.02)
    print(
        json.dumps(
            {
                "at": time.monotonic(),
                "peak_rss_mb": _peak_rss_mb(),
                "cpu_s": round(time.process_time() - ready_cpu, 2),
            }
        ),
        flush=True,
    )


# --------------------------------------------------------------------------------------
# Orchestration
# --------------------------------------------------------------------------------------


def settle(pg, timeout=120):
    """Let PostgreSQL finish the previous measure's background work (checkpoint, autovacuum)
    so that it does not slow the next one down."""
    conn = pg.connect()
    try:
        with conn.cursor() as cr:
            try:
                cr.execute("CHECKPOINT")
            except Exception as error:  # noqa: BLE001 - only superusers may; waiting still helps
                print(f"(no CHECKPOINT: {error})".strip(), flush=True)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                cr.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'"
                )
                if not cr.fetchone()[0]:
                    break
                time.sleep(1)
    finally:
        conn.close()


def run(sizes, keep, rounds, charged=False, options=None):
    options = {**DEFAULT_OPTIONS, **(options or {})}
    odoo = devenv.find_odoo(target="bench")
    pg = devenv.ensure_postgres()
    base_args = [f"--addons-path={odoo.addons_path}", *pg.odoo_args(), "--log-level=warn"]
    # stock SMS Marketing passes every recipient id to its composer in one string, which Odoo
    # refuses to read back above 100 KiB (about 14,000 recipients) unless this is raised
    measure_env = {**(odoo.env or os.environ), "ODOO_LIMIT_LITEVAL_BUFFER": str(64 * 1024**2)}
    variants = {
        variant: module
        for variant, module in {**VARIANTS, **(CHARGED if charged else {})}.items()
        if variant in options["variants"] or (variant == "charged" and charged)
    }
    # each variant's addons are installed once; every measure starts from a copy
    templates = {
        variant: _install_template(odoo, pg, base_args, variant, module)
        for variant, module in variants.items()
    }
    rows = []
    try:
        for size in sizes:
            for round_ in range(1, rounds + 1):
                for variant in variants:
                    # stock always works its queue with one worker (its queue does not share)
                    for workers in [1] if variant == "stock" else options["workers"]:
                        row = _measure_once(
                            pg,
                            odoo,
                            base_args,
                            measure_env,
                            variant,
                            templates[variant],
                            size,
                            keep,
                            {**options, "workers": workers},
                        )
                        row["round"] = round_
                        print(json.dumps(row, ensure_ascii=False), flush=True)
                        rows.append(row)
    finally:
        for template in templates.values():
            pg.drop_database(template)
    _print_summary(sizes, rows, charged)


#: what a measure is run with unless the command line says otherwise
DEFAULT_OPTIONS = {
    "variants": tuple(VARIANTS),
    "recipients": "partner",
    "workers": [1],
    "gateway_delay": 0.0,
    "profile": "",
}


def _install_template(odoo, pg, base_args, variant, module):
    dbname = f"sms_notify_bench_tpl_{variant}_{os.getpid()}"
    print(f"== {variant}: installing {module} in {dbname}", flush=True)
    pg.drop_database(dbname)
    subprocess.run(
        odoo.command(
            "-d",
            dbname,
            "-i",
            module,
            "--without-demo=all",
            "--stop-after-init",
            *base_args,
        ),
        check=True,
        env=odoo.env or None,
    )
    return dbname


def _measure_once(pg, odoo, base_args, measure_env, variant, template, size, keep, options):
    """One measure in a fresh copy of the variant's database."""
    dbname = f"sms_notify_bench_{variant}_{size}_{os.getpid()}"
    pg.drop_database(dbname)
    conn = pg.connect()
    try:
        with conn.cursor() as cr:
            cr.execute(f'CREATE DATABASE "{dbname}" TEMPLATE "{template}"')
    finally:
        conn.close()
    settle(pg)
    delay = options["gateway_delay"]
    peer = FakeIap() if variant == "stock" else fake_smsc(delay)
    try:
        with peer:
            row = measure_in_child(
                odoo.python,
                __file__,
                [variant, dbname, str(size), peer.url, json.dumps(base_args), json.dumps(options)],
                env=measure_env,
                what=f"{variant} {size}: the measure",
            )
            row["received_by_gateway"] = peer.received
    finally:
        if not keep:
            pg.drop_database(dbname)
    return row


def _print_summary(sizes, rows, charged=False):
    print()
    print(
        f"{'size':>7} {'round':>5} {'variant':<7} {'workers':>7} {'compose s':>10} {'send s':>8} "
        f"{'SMS/s':>8} {'peak RSS MB':>12} {'kept':>7} {'at gateway':>10}"
    )
    for row in rows:
        print(
            f"{row['size']:>7} {row['round']:>5} {row['variant']:<7} {row['workers']:>7} "
            f"{row['compose_s']:>10} {row['send_s']:>8} {row['sms_per_s']:>8} "
            f"{row['peak_rss_mb']:>12} {row['kept_in_history']:>7} {row['received_by_gateway']:>10}"
        )
    for size in sizes:
        measured = [row for row in rows if row["size"] == size]
        suites = sorted({row["workers"] for row in measured if row["variant"] == "suite"})
        for workers in suites:
            suite_rows = [
                row for row in measured if row["variant"] == "suite" and row["workers"] == workers
            ]
            median = statistics.median(row["sms_per_s"] for row in suite_rows)
            print(
                f"{size}: suite with {workers} queue worker(s), gateway answering after "
                f"{suite_rows[0]['gateway_delay_s']} s: {median:,.0f} SMS/s "
                f"(median of {len(suite_rows)})"
            )
        stocks = [row for row in measured if row["variant"] == "stock"]
        if not stocks or not suites:
            continue
        suite_rows = [
            row for row in measured if row["variant"] == "suite" and row["workers"] == suites[0]
        ]
        stock_median = statistics.median(row["sms_per_s"] for row in stocks)
        suite_median = statistics.median(row["sms_per_s"] for row in suite_rows)
        # each round's stock and suite ran one after the other, on the same machine state
        ratios = [
            suite["sms_per_s"] / stock["sms_per_s"]
            for stock, suite in zip(stocks, suite_rows, strict=True)
        ]
        print(
            f"{size}: suite/stock throughput {suite_median / stock_median:.2f}x "
            f"(medians of {len(ratios)} rounds; per round "
            f"{', '.join(f'{ratio:.2f}x' for ratio in ratios)})"
        )
        if charged:
            billed = [row for row in measured if row["variant"] == "charged"]
            median = statistics.median(row["sms_per_s"] for row in billed)
            exact = all(
                row["charged"] == row["expected"] == row["priced_in_history"] for row in billed
            )
            print(
                f"{size}: charged/suite throughput {median / suite_median:.2f}x; "
                f"balance debited {billed[-1]['charged']} for {billed[-1]['expected']} expected "
                f"({'exact' if exact else 'MISMATCH'})"
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure each size this many times (stock, then suite, each round); the summary "
        "compares the medians: at 10,000 the figures move by a fifth from run to run",
    )
    parser.add_argument(
        "--charged",
        action="store_true",
        help="also measure the suite with every SMS charged to a prepaid balance",
    )
    parser.add_argument(
        "--variants",
        nargs="+",
        choices=list(VARIANTS),
        default=list(VARIANTS),
        help="measure only these (default: both)",
    )
    parser.add_argument(
        "--recipients",
        choices=["partner", "contact"],
        default="partner",
        help="partner: contacts who agreed to promotions, greeted by their first name (a "
        "token); contact: mailing list contacts, greeted by name (default: partner)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=[1],
        help="measure the suite with each of these numbers of queue worker processes",
    )
    parser.add_argument(
        "--gateway-delay",
        type=float,
        default=0.0,
        help="seconds the fake SMSC takes to answer each request (a real vendor: 0.15)",
    )
    parser.add_argument(
        "--profile",
        metavar="DIR",
        default="",
        help="write cProfile statistics of the composition and of each queue worker there",
    )
    parser.add_argument("--measure", nargs=6, help=argparse.SUPPRESS)
    parser.add_argument("--queue-worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.queue_worker:
        dbname, odoo_args, profile_path = args.queue_worker
        queue_worker(dbname, json.loads(odoo_args), profile_path)
        return
    if args.measure:
        variant, dbname, size, url, odoo_args, options = args.measure
        row = measure(variant, dbname, int(size), url, json.loads(odoo_args), json.loads(options))
        print(json.dumps(row))
        return
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
    options = {
        "variants": args.variants,
        "recipients": args.recipients,
        "workers": args.workers,
        "gateway_delay": args.gateway_delay,
        "profile": str(Path(args.profile).resolve()) if args.profile else "",
    }
    run(args.sizes, args.keep, args.rounds, args.charged, options)


if __name__ == "__main__":
    main()
