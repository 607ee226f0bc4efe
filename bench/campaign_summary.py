"""The summary of an SMS mailing to 100,000 customers, and its recipient list, before sending.

    python3 bench/campaign_summary.py [--size 100000] [--rounds 3] [--keep] [--profile FILE]

In a fresh database with sms_notify_campaign (hence SMS Marketing; no demo data), ``size``
customers are stored with a mix of what a real base holds: mobile numbers typed in every local
habit (8 912..., +7 912..., with brackets and dashes), customers without a number, landlines,
numbers shared by two customers, blacklisted numbers, customers who chose No SMS, customers
without consent to promotions, and time zones from Kaliningrad to Kamchatka. One SMS mailing
(a promotion) targets them all. Each round then measures, on a new mailing:

* **fill**: the first summary, which fills the recipient list (one row per customer, each
  number judged as sending will judge it) and counts the outcomes; in the first round every
  number is judged, in the next ones the judgments of the earlier mailings are reused (a
  weekly campaign to the same customers), except for the numbers that changed;
* **summary**: the summary again, as the confirmation before sending computes it;
* **summary after edits**: the summary after 1% of the customers changed their number and 100
  recipients were taken off the mailing;
* **first page**: the first 80 recipients of the list, as the list view reads them.

``--profile FILE`` writes cProfile statistics of the first round's fill there (``python3 -m
pstats FILE``); profiling slows it down, compare only profiles with each other.

Nothing here runs in the test suite: run it on purpose, on an idle machine.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import devenv  # noqa: E402
from child import measure_in_child  # noqa: E402

ZONES = ["Europe/Kaliningrad", "Europe/Moscow", "Asia/Yekaterinburg", "Asia/Kamchatka", False]


def _customers(size):
    """Values of ``size`` customers: (values, what the summary should say)."""
    rng = random.Random(42)
    rows = []
    for index in range(size):
        digits = f"{index:07d}"
        mobile = rng.choice(
            [
                f"+7 912 {digits[:3]}-{digits[3:5]}-{digits[5:]}",
                f"8 (912) {digits[:3]}-{digits[3:5]}-{digits[5:]}",
                f"+7912{digits}",
            ]
        )
        kind = rng.random()
        values = {
            "name": f"Bench customer {index:06d}",
            "mobile": mobile,
            "sms_notify_ad_consent": True,
            "sms_notify_opt_out": False,
            "tz": rng.choice(ZONES),
        }
        if kind < 0.05:
            values["mobile"] = False
        elif kind < 0.10:
            values["mobile"] = f"+7 495 {digits[:3]}-{digits[3:5]}-{digits[5:]}"  # landline
        elif kind < 0.15:
            values["mobile"] = "+7 913 000-00-" + f"{index % 100:02d}"  # shared numbers
        elif kind < 0.18:
            values["mobile"] = f"+7 914 {digits[:3]}-{digits[3:5]}-{digits[5:]}"  # blacklisted
        elif kind < 0.22:
            values["sms_notify_opt_out"] = True
        elif kind < 0.30:
            values["sms_notify_ad_consent"] = False
        rows.append(values)
    return rows


def measure(dbname, size, rounds, odoo_args, profile=None):
    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config(["--database", dbname, *odoo_args])
    registry = odoo.modules.registry.Registry(dbname)

    def environment(cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    started = time.perf_counter()
    with registry.cursor() as cr:
        env = environment(cr)
        env.company.country_id = env.ref("base.ru")
        rows = _customers(size)
        russia = env.ref("base.ru").id
        partners = env["res.partner"]._sms_notify_insert(
            [dict(values, country_id=russia, active=True, type="contact") for values in rows]
        )
        blacklisted = sorted(
            {
                f"+7914{values['mobile'][7:].replace('-', '')}"
                for values in rows
                if values["mobile"] and values["mobile"].startswith("+7 914")
            }
        )
        env["phone.blacklist"]._sms_notify_insert(
            [{"number": number, "active": True} for number in blacklisted]
        )
        ids = partners.ids
        cr.commit()
    created_s = round(time.perf_counter() - started, 1)

    results = []
    for round_ in range(rounds):
        with registry.cursor() as cr:
            env = environment(cr)
            mailing = env["mailing.mailing"].create(
                {
                    "subject": f"Bench sale {round_}",
                    "mailing_type": "sms",
                    "body_plaintext": "Spring sale: -20% on all frames until Sunday.",
                    "mailing_model_id": env["ir.model"]._get_id("res.partner"),
                    "mailing_domain": repr([("name", "=like", "Bench customer %")]),
                }
            )
            cr.commit()
            row = {"round": round_ + 1}

            def timed(function, key, cr=cr, row=row):
                profiler = None
                if profile and key == "fill_s" and not results:
                    import cProfile  # noqa: PLC0415

                    profiler = cProfile.Profile()
                    profiler.enable()
                started = time.perf_counter()
                result = function()
                if profiler:
                    profiler.disable()
                    profiler.dump_stats(profile)
                cr.commit()
                row[key] = round(time.perf_counter() - started, 3)
                return result

            summary = timed(mailing._sms_notify_summarize, "fill_s")
            row["counts"] = {name: count for name, count in summary["counts"].items() if count}
            timed(mailing._sms_notify_summarize, "summary_s")
            # 1% of the customers change their number, the user takes 100 recipients off
            changed = env["res.partner"].browse(random.Random(round_).sample(ids, size // 100))
            for partner in changed:
                partner.mobile = f"+7 915 {partner.id % 10000000:07d}"
            env.flush_all()
            recipients = env["sms.notify.campaign.recipient"].search(
                [("mailing_id", "=", mailing.id)], limit=100, order="id desc"
            )
            recipients.write({"excluded": True})
            cr.commit()
            summary = timed(mailing._sms_notify_summarize, "summary_after_edits_s")
            row["excluded"] = summary["counts"]["excluded"]
            timed(
                lambda mailing=mailing, env=env: env[
                    "sms.notify.campaign.recipient"
                ].web_search_read(
                    [("mailing_id", "=", mailing.id)],
                    {"name": {}, "number": {}, "outcome": {}, "partner_id": {}, "quiet": {}},
                    limit=80,
                ),
                "first_page_s",
            )
        results.append(row)
    return {"size": size, "customers_created_s": created_s, "rounds": results}


def run(size, rounds, keep, profile=None):
    odoo = devenv.find_odoo(target="bench")
    pg = devenv.ensure_postgres()
    base_args = [f"--addons-path={odoo.addons_path}", *pg.odoo_args(), "--log-level=warn"]
    dbname = f"sms_notify_bench_summary_{size}_{os.getpid()}"
    print(f"== installing sms_notify_campaign in {dbname}", flush=True)
    subprocess.run(
        odoo.command(
            "-d",
            dbname,
            "-i",
            "sms_notify_campaign",
            "--without-demo=all",
            "--stop-after-init",
            *base_args,
        ),
        check=True,
        env=odoo.env or None,
    )
    try:
        result = measure_in_child(
            odoo.python,
            __file__,
            [
                dbname,
                str(size),
                str(rounds),
                json.dumps(base_args),
                os.path.abspath(profile) if profile else "",
            ],
            env=odoo.env or None,
        )
    finally:
        if not keep:
            pg.drop_database(dbname)
    for row in result["rounds"]:
        print(json.dumps(row), flush=True)
    print()
    print(
        f"{size:,} customers (stored in {result['customers_created_s']} s), "
        f"median of {rounds} round(s):"
    )
    rows = result["rounds"]
    first = "first mailing: first summary, filling the recipient list (s)"
    print(f"  {first:62} {rows[0]['fill_s']:>10}")
    if len(rows) > 1:
        later = statistics.median(row["fill_s"] for row in rows[1:])
        print(f"  {'later mailings: first summary, judgments reused (s)':62} {later:>10}")
    for key, label in (
        ("summary_s", "summary again, as the confirmation computes it (s)"),
        ("summary_after_edits_s", "summary after 1% new numbers, 100 taken off (s)"),
        ("first_page_s", "first page of the recipient list (s)"),
    ):
        print(f"  {label:62} {statistics.median(row[key] for row in rows):>10}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--profile", help="write cProfile statistics of the first fill here")
    parser.add_argument("--measure", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        dbname, size, rounds, odoo_args, profile = args.measure
        print(
            json.dumps(
                measure(dbname, int(size), int(rounds), json.loads(odoo_args), profile or None)
            )
        )
        return
    run(args.size, args.rounds, args.keep, args.profile)


if __name__ == "__main__":
    main()
