"""GSM modem throughput against its line rate, with one modem and with two.

    python3 bench/modem.py [--messages 200] [--seconds-per-sms 0.05] [--keep]

A simulated modem (sms_notify_modem/tests/fakes/modem.py) on a pty, the tty device path a USB
modem is to Odoo, takes a set time to send each SMS,
like a real one waiting for the network: that is its line rate (0.05 s: 20 SMS a second). In a
fresh database with sms_notify_modem, ``messages`` one-part SMS are queued; one modem and one
queue worker send them, then two modems and two workers (each worker owns one modem at a time
through its advisory lock, the other takes the next batch). The figure is SMS handed over per
second, from the moment the first modem started its first SMS to the moment the last SMS was
accepted, against the line rate: the workers' own start (loading Odoo) is left out. The
whole time, start included, is printed too.

Nothing here runs in the test suite: run it on purpose, on an idle machine.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import devenv  # noqa: E402

#: messages a worker claims at a time: small, so that two workers share the queue early
BATCH = 50


def setup(dbname, urls, messages, odoo_args):
    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config(["--database", dbname, *odoo_args])
    registry = odoo.modules.registry.Registry(dbname)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["sms.notify.gateway"].search([]).action_archive()
        env["ir.config_parameter"].set_param("sms.session.batch.size", BATCH)
        for index, url in enumerate(urls):
            env["sms.notify.gateway"].create(
                {"name": f"Modem {index + 1}", "gateway_type": "gsm_modem", "modem_port": url}
            )
        env["sms.sms"].create(
            [
                {"number": f"+4860{index:07d}", "body": f"Your order {index} is ready."}
                for index in range(messages)
            ]
        )


def work(dbname, odoo_args):
    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config(["--database", dbname, *odoo_args])
    registry = odoo.modules.registry.Registry(dbname)
    while True:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["sms.sms"]._process_queue()
            cr.execute("SELECT count(*) FROM sms_sms WHERE state IN ('outgoing', 'process')")
            if not cr.fetchone()[0]:
                return
        time.sleep(0.05)  # the modem another worker holds is asked again shortly


def measure(odoo, pg, base_args, modems, messages, seconds, keep):
    import odoo as odoo_package  # noqa: PLC0415

    odoo_package.addons.__path__.append(str(REPO))
    from odoo.addons.sms_notify_modem.tests.fakes.modem import SimulatedModem  # noqa: PLC0415

    dbname = f"sms_notify_bench_modem_{modems}_{os.getpid()}"
    subprocess.run(
        odoo.command(
            "-d",
            dbname,
            "-i",
            "sms_notify_modem",
            "--without-demo=all",
            "--stop-after-init",
            *base_args,
        ),
        check=True,
        env=odoo.env or None,
    )
    # a pty is what a USB modem is to Odoo: a tty device path
    sims = [SimulatedModem(per_message_seconds=seconds, link="pty") for _ in range(modems)]
    try:
        for sim in sims:
            sim.__enter__()
        args = json.dumps(base_args)
        subprocess.run(
            [
                odoo.python,
                __file__,
                "--setup",
                dbname,
                json.dumps([s.url for s in sims]),
                str(messages),
                args,
            ],
            check=True,
        )
        started = time.perf_counter()
        workers = [
            subprocess.Popen([odoo.python, __file__, "--work", dbname, args]) for _ in range(modems)
        ]
        for worker in workers:
            if worker.wait():
                raise SystemExit("a queue worker failed")
        elapsed = time.perf_counter() - started
        sent = sum(len(sim.parts) for sim in sims)
        moments = [moment for sim in sims for moment in sim.sent_at]
        sending = max(moments) - min(moments) + seconds
    finally:
        for sim in sims:
            sim.__exit__(None, None, None)
        if not keep:
            pg.drop_database(dbname)
    line_rate = modems / seconds
    row = {
        "modems": modems,
        "messages": messages,
        "sent": sent,
        "per_modem": [len(sim.parts) for sim in sims],
        "seconds_with_start": round(elapsed, 2),
        "seconds_sending": round(sending, 2),
        "sms_per_s": round(sent / sending, 2),
        "line_rate": line_rate,
        "of_line_rate": round(sent / sending / line_rate, 3),
    }
    print(json.dumps(row), flush=True)
    if sent != messages:
        raise SystemExit(f"expected {messages} sent, got {sent}")
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--seconds-per-sms", type=float, default=0.05)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--setup", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--work", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        dbname, urls, messages, odoo_args = args.setup
        setup(dbname, json.loads(urls), int(messages), json.loads(odoo_args))
        return
    if args.work:
        work(args.work[0], json.loads(args.work[1]))
        return
    odoo = devenv.find_odoo(target="bench")
    pg = devenv.ensure_postgres()
    base_args = [f"--addons-path={odoo.addons_path}", *pg.odoo_args(), "--log-level=warn"]
    rows = [
        measure(odoo, pg, base_args, modems, args.messages, args.seconds_per_sms, args.keep)
        for modems in (1, 2)
    ]
    print()
    print(f"{args.messages} one-part SMS, {args.seconds_per_sms} s per SMS on each modem:")
    for row in rows:
        print(
            f"  {row['modems']} modem(s): {row['sms_per_s']} SMS/s of a line rate of "
            f"{row['line_rate']:g} ({row['of_line_rate']:.1%}), per modem {row['per_modem']}"
        )
    print(f"  two modems / one: {rows[1]['sms_per_s'] / rows[0]['sms_per_s']:.2f}x")


if __name__ == "__main__":
    main()
