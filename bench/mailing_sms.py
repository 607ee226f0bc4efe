"""Mass SMS mailing throughput: this suite against stock Odoo, in one run.

    python3 bench/mailing_sms.py [--sizes 10000 100000] [--rounds N] [--keep]

For each size, the same SMS mailing (mass_mailing_sms, one text to N mailing contacts) is
composed and sent twice, each in a fresh database:

* **stock**: Odoo's mass_mailing_sms alone; its IAP client talks to a local fake IAP endpoint.
* **suite**: sms_notify_campaign (hence sms_notify) with an SMSC.ru gateway pointed at a local
  fake SMSC server; history and cost are kept.

The mailing is composed in one process, as Odoo's mailing cron does, while a second process
works the SMS queue, as Odoo's SMS cron does in another cron worker: it polls the queue every
20 ms, where Odoo would wake it through the queue's trigger. *compose* is the time the mailing
takes to create its SMS; *send* the time from then until the queue has handed the last one
over; SMS/s counts the whole, from the click to the last SMS handed over. Whatever a variant
commits before the end of its composition may leave meanwhile. Peak RSS is the larger of the
two processes' peaks (one pair of processes per variant and size). The fake servers run in this
parent process so their work is not counted.

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

BODY = "Spring sale: -20% on all frames until Sunday. Optika Nova, ul. Długa 5"
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


def fake_smsc():
    _load_fakes()
    from sms_notify.tests.fakes.smsc import FakeSmsc  # noqa: PLC0415

    class CountingSmsc(FakeSmsc):
        max_records = 16  # the benchmark needs counts, not a copy of every request

        @property
        def received(self):
            return len(self.messages)

    return CountingSmsc(login="bench", password="bench", balance=10**9, price=0.01)


# --------------------------------------------------------------------------------------
# Measuring worker (one process per variant and size)
# --------------------------------------------------------------------------------------


def measure(variant, dbname, size, url, odoo_args):
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
            env["sms.notify.gateway"].create(
                {
                    "name": "Bench SMSC",
                    "gateway_type": "smsc",
                    "base_url": url,
                    "login": "bench",
                    "password": "bench",
                }
            )
        contacts = env["mailing.contact"]
        for start in range(0, size, 5000):
            contacts |= contacts.create(
                [
                    {"name": f"{tag} {index}", "mobile": f"+48 6{index:08d}"}
                    for index in range(start, min(size, start + 5000))
                ]
            )
        mailing = env["mailing.mailing"].create(
            {
                "subject": tag,
                "mailing_type": "sms",
                "body_plaintext": BODY,
                "mailing_model_id": env["ir.model"]._get_id("mailing.contact"),
                "mailing_domain": repr([("name", "like", tag)]),
            }
        )
    worker = subprocess.Popen(
        [sys.executable, __file__, "--queue-worker", dbname, json.dumps(odoo_args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    if worker.stdout.readline().strip() != "ready":
        raise SystemExit("the queue worker did not start")
    # monotonic: the same clock in both processes
    started, started_cpu = time.monotonic(), time.process_time()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["mailing.mailing"].browse(mailing.id).action_send_sms()
    composed, compose_cpu = time.monotonic(), time.process_time() - started_cpu
    worker.stdin.write("composed\n")
    worker.stdin.flush()
    emptied = json.loads(worker.stdout.readline())
    if worker.wait():
        raise SystemExit("the queue worker failed")
    sent = emptied["at"]
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
        "peak_rss_mb": max(_peak_rss_mb(), emptied["peak_rss_mb"]),
        # Python's own work in each process (PostgreSQL's is not in it)
        "compose_cpu_s": round(compose_cpu, 2),
        "queue_cpu_s": emptied["cpu_s"],
        "kept_in_history": kept,
        "states": states,
        **charges,
    }


def _peak_rss_mb():
    import resource  # noqa: PLC0415

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def queue_worker(dbname, odoo_args):
    """Work the SMS queue until the mailing is composed and nothing is left to send; print
    when that was."""
    import select  # noqa: PLC0415

    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config(["--database", dbname, *odoo_args])
    registry = odoo.modules.registry.Registry(dbname)
    print("ready", flush=True)
    ready_cpu = time.process_time()
    composed = False
    while True:
        # read before looking at the queue: an empty queue only ends the run once everything
        # was composed (and committed) before that look
        composed = composed or bool(select.select([sys.stdin], [], [], 0)[0])
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            if env["sms.sms"].search_count([("state", "=", "outgoing")], limit=1):
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


def run(sizes, keep, rounds, charged=False):
    odoo = devenv.find_odoo(target="bench")
    pg = devenv.ensure_postgres()
    base_args = [f"--addons-path={odoo.addons_path}", *pg.odoo_args(), "--log-level=warn"]
    # stock SMS Marketing passes every recipient id to its composer in one string, which Odoo
    # refuses to read back above 100 KiB (about 14,000 recipients) unless this is raised
    measure_env = {**(odoo.env or os.environ), "ODOO_LIMIT_LITEVAL_BUFFER": str(64 * 1024**2)}
    rows = []
    for size in sizes:
        for round_ in range(1, rounds + 1):
            for variant, module in {**VARIANTS, **(CHARGED if charged else {})}.items():
                row = _measure_once(odoo, pg, base_args, measure_env, variant, module, size, keep)
                row["round"] = round_
                print(json.dumps(row, ensure_ascii=False), flush=True)
                rows.append(row)
    _print_summary(sizes, rows, charged)


def _measure_once(odoo, pg, base_args, measure_env, variant, module, size, keep):
    """One measure in a fresh database."""
    dbname = f"sms_notify_bench_{variant}_{size}_{os.getpid()}"
    print(f"== {variant} {size}: installing {module} in {dbname}", flush=True)
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
    settle(pg)
    peer = FakeIap() if variant == "stock" else fake_smsc()
    try:
        with peer:
            measured = subprocess.run(
                [
                    odoo.python,
                    __file__,
                    "--measure",
                    variant,
                    dbname,
                    str(size),
                    peer.url,
                    json.dumps(base_args),
                ],
                capture_output=True,
                text=True,
                env=measure_env,
            )
            if measured.returncode:
                print(measured.stderr[-3000:], file=sys.stderr)
                raise SystemExit(f"{variant} {size}: the measure failed")
            row = json.loads(measured.stdout.strip().splitlines()[-1])
            row["received_by_gateway"] = peer.received
    finally:
        if not keep:
            pg.drop_database(dbname)
    return row


def _print_summary(sizes, rows, charged=False):
    print()
    print(
        f"{'size':>7} {'round':>5} {'variant':<7} {'compose s':>10} {'send s':>8} {'SMS/s':>8} "
        f"{'peak RSS MB':>12} {'kept':>7} {'at gateway':>10}"
    )
    for row in rows:
        print(
            f"{row['size']:>7} {row['round']:>5} {row['variant']:<7} {row['compose_s']:>10} "
            f"{row['send_s']:>8} {row['sms_per_s']:>8} {row['peak_rss_mb']:>12} "
            f"{row['kept_in_history']:>7} {row['received_by_gateway']:>10}"
        )
    for size in sizes:
        measured = [row for row in rows if row["size"] == size]
        throughput = {
            variant: statistics.median(
                row["sms_per_s"] for row in measured if row["variant"] == variant
            )
            for variant in VARIANTS
        }
        # each round's stock and suite ran one after the other, on the same machine state
        ratios = [
            suite["sms_per_s"] / stock["sms_per_s"]
            for stock, suite in zip(
                (row for row in measured if row["variant"] == "stock"),
                (row for row in measured if row["variant"] == "suite"),
                strict=True,
            )
        ]
        print(
            f"{size}: suite/stock throughput {throughput['suite'] / throughput['stock']:.2f}x "
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
                f"{size}: charged/suite throughput {median / throughput['suite']:.2f}x; "
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
    parser.add_argument("--measure", nargs=5, help=argparse.SUPPRESS)
    parser.add_argument("--queue-worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.queue_worker:
        queue_worker(args.queue_worker[0], json.loads(args.queue_worker[1]))
        return
    if args.measure:
        variant, dbname, size, url, odoo_args = args.measure
        print(json.dumps(measure(variant, dbname, int(size), url, json.loads(odoo_args))))
        return
    run(args.sizes, args.keep, args.rounds, args.charged)


if __name__ == "__main__":
    main()
