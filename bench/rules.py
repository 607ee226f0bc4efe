"""A notification rule firing on many documents in one save: what it adds to the user's request,
and how fast its messages are then handed to the SMS queue.

    python3 bench/rules.py [--size 10000] [--rounds 3] [--keep]

In a fresh database with sms_notify (no demo data), ``size`` contacts with mobile numbers are
saved twice in one request each, writing their job position: once with no rule watching it,
once with a rule ("VIP: welcome", an SMS template, delay 0) whose condition the save makes them
meet. The difference is what the rule costs the user's request: running its automation on
every contact and scheduling one message each at the end of the transaction. For comparison,
a third save runs the same automation as stock Odoo offers it (an automation rule whose action
sends the SMS template), which composes every SMS within the user's request. Then the sending
cron hands the scheduled messages over to the SMS queue (rendered per contact, logged in each
chatter, 500 per run as the cron does), which gives its rate. No gateway call is measured here:
the queue's own speed is bench/mailing_sms.py's business.

Nothing here runs in the test suite: run it on purpose, on an idle machine.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import devenv  # noqa: E402
from child import measure_in_child  # noqa: E402


def measure(dbname, size, odoo_args):
    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config(["--database", dbname, *odoo_args])
    registry = odoo.modules.registry.Registry(dbname)

    def environment(cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    with registry.cursor() as cr:
        env = environment(cr)
        partners = env["res.partner"]
        for start in range(0, 3 * size, 5000):
            partners |= partners.create(
                [
                    {"name": f"Bench {index}", "mobile": f"+48 6{index:08d}"}
                    for index in range(start, min(3 * size, start + 5000))
                ]
            )
        template = env["sms.template"].create(
            {
                "name": "VIP welcome",
                "model_id": env["ir.model"]._get_id("res.partner"),
                "body": "{{ object.name }}, welcome to our VIP club!",
            }
        )
        plain_ids, ruled_ids = partners[:size].ids, partners[size : 2 * size].ids
        stock_ids = partners[2 * size :].ids

    def timed_save(ids, function):
        """Seconds the user's request takes to save ``function`` on the contacts, commit
        included (the rule schedules its messages when the transaction ends)."""
        with registry.cursor() as cr:
            env = environment(cr)
            started = time.perf_counter()
            env["res.partner"].browse(ids).write({"function": function})
            env.flush_all()
            cr.commit()
            return round(time.perf_counter() - started, 3)

    row = {"size": size, "save_without_rule_s": timed_save(plain_ids, "VIP")}
    with registry.cursor() as cr:
        env = environment(cr)
        rule = env["sms.notify.rule"].create(
            {
                "name": "VIP: welcome",
                "model_id": env["ir.model"]._get_id("res.partner"),
                "condition_domain": "[('function', '=', 'Gold VIP')]",
                "sms_template_id": template.id,
                "only_new_records": False,
            }
        )
        cr.commit()
    row["save_with_rule_s"] = timed_save(ruled_ids, "Gold VIP")
    with registry.cursor() as cr:
        env = environment(cr)
        row["scheduled"] = env["sms.notify.scheduled"].search_count([("rule_id", "=", rule.id)])
    started = time.perf_counter()
    while True:
        with registry.cursor() as cr:
            env = environment(cr)
            Scheduled = env["sms.notify.scheduled"]
            due = Scheduled.search_count([("state", "=", "scheduled")])
            if not due:
                break
            Scheduled._cron_send_due()
            cr.commit()
    row["handover_s"] = round(time.perf_counter() - started, 3)
    with registry.cursor() as cr:
        env = environment(cr)
        row["sms_queued"] = env["sms.sms"].search_count([("partner_id", "in", ruled_ids)])
    with registry.cursor() as cr:
        env = environment(cr)
        env["sms.notify.rule"].browse(rule.id).active = False
        env["base.automation"].create(
            {
                "name": "Stock: VIP welcome",
                "model_id": env["ir.model"]._get_id("res.partner"),
                "trigger": "on_create_or_write",
                "filter_pre_domain": "[('function', '!=', 'Platinum VIP')]",
                "filter_domain": "[('function', '=', 'Platinum VIP')]",
                "action_server_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Send the SMS",
                            "model_id": env["ir.model"]._get_id("res.partner"),
                            "state": "sms",
                            "sms_template_id": template.id,
                            "sms_method": "sms",
                        },
                    )
                ],
            }
        )
        cr.commit()
    row["save_with_stock_automation_s"] = timed_save(stock_ids, "Platinum VIP")
    with registry.cursor() as cr:
        env = environment(cr)
        row["stock_sms_created"] = env["sms.sms"].search_count([("partner_id", "in", stock_ids)])
    row["rule_overhead_s"] = round(row["save_with_rule_s"] - row["save_without_rule_s"], 3)
    row["handover_per_s"] = round(row["sms_queued"] / row["handover_s"]) if row["handover_s"] else 0
    return row


def run(size, rounds, keep):
    odoo = devenv.find_odoo(target="bench")
    pg = devenv.ensure_postgres()
    base_args = [f"--addons-path={odoo.addons_path}", *pg.odoo_args(), "--log-level=warn"]
    rows = []
    for round_ in range(1, rounds + 1):
        dbname = f"sms_notify_bench_rules_{size}_{os.getpid()}_{round_}"
        print(f"== round {round_}: installing sms_notify in {dbname}", flush=True)
        subprocess.run(
            odoo.command(
                "-d",
                dbname,
                "-i",
                "sms_notify",
                "--without-demo=all",
                "--stop-after-init",
                *base_args,
            ),
            check=True,
            env=odoo.env or None,
        )
        try:
            row = measure_in_child(
                odoo.python,
                __file__,
                [dbname, str(size), json.dumps(base_args)],
                env=odoo.env or None,
            )
        finally:
            if not keep:
                pg.drop_database(dbname)
        print(json.dumps(row), flush=True)
        rows.append(row)
    print()
    print(f"{size:,} contacts saved in one request, median of {rounds} round(s):")
    for key, label in (
        ("save_without_rule_s", "save, no rule watching (s)"),
        ("save_with_rule_s", "save, the rule scheduling every contact (s)"),
        ("rule_overhead_s", "what the rule adds to the request (s)"),
        ("save_with_stock_automation_s", "save, stock automation sending the SMS template (s)"),
        ("handover_s", "sending cron: scheduled messages to the SMS queue (s)"),
        ("handover_per_s", "messages handed to the queue per second"),
    ):
        print(f"  {label:55} {statistics.median(row[key] for row in rows):>10}")
    for row in rows:
        if (
            size != row["scheduled"]
            or size != row["sms_queued"]
            or size != row["stock_sms_created"]
        ):
            raise SystemExit(f"expected {size} scheduled and queued, got {row}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--measure", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        dbname, size, odoo_args = args.measure
        print(json.dumps(measure(dbname, int(size), json.loads(odoo_args))))
        return
    run(args.size, args.rounds, args.keep)


if __name__ == "__main__":
    main()
