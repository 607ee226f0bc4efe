import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import config

from .fakes.smsc import FakeSmsc

MESSAGES = 20
#: messages a worker claims at a time, each batch one request to SMSC
BATCH = 4
KILL_AFTER_SENDS = 2
WORKER = "env['sms.sms']._process_queue()\n"


@tagged("post_install", "-at_install")
class TestQueueSurvivesAKilledWorker(TransactionCase):
    """A real queue worker process is killed in the middle of a batch; the next run must
    leave every message sent exactly once.

    The worker is a separate Odoo process working on committed data, so this test commits
    through its own cursors and removes what it created at the end."""

    def _committed(self):
        return self.registry.cursor()

    def _start_worker(self, log):
        # The worker is this very Odoo with this server's settings, whatever started it
        # (odoo-bin from a source tree, python -m odoo, make test): the interpreter running
        # now, the folder this odoo package was imported from, and the options in force.
        odoo_root = os.path.dirname(os.path.dirname(odoo.__file__))
        command = [
            sys.executable,
            "-m",
            "odoo",
            "shell",
            f"--database={self.env.cr.dbname}",
            f"--addons-path={config['addons_path']}",
            f"--data-dir={config['data_dir']}",
            "--no-http",
            "--log-level=warn",
        ]
        for option in ("db_host", "db_port", "db_user", "db_password"):
            if config.get(option):
                command.append(f"--{option}={config[option]}")
        python_path = [odoo_root, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(python_path))
        worker = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=log, stderr=log, env=env, cwd=odoo_root
        )
        worker.stdin.write(WORKER.encode())
        worker.stdin.close()
        return worker

    def test_killed_worker_loses_nothing_and_sends_nothing_twice(self):
        fake = self.enterContext(FakeSmsc(login="shop", password="secret"))
        fake.slow_seconds = 0.3
        fake.fail("slow", times=None)  # each answer takes a while: the kill lands mid-batch
        with self._committed() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            batch_param = env["ir.config_parameter"].get_param("sms.session.batch.size")
            env["ir.config_parameter"].set_param("sms.session.batch.size", BATCH)
            gateway = env["sms.notify.gateway"].create(
                {
                    "name": "Crash test SMSC",
                    "gateway_type": "smsc",
                    "sequence": -1,
                    "base_url": fake.url,
                    "login": "shop",
                    "password": "secret",
                }
            )
            sms_ids = (
                env["sms.sms"]
                .create(
                    [
                        {"number": f"+7912345{index:04d}", "body": f"Order {index} is ready"}
                        for index in range(MESSAGES)
                    ]
                )
                .ids
            )
        try:
            with tempfile.TemporaryFile() as log:
                worker = self._start_worker(log)
                deadline = time.monotonic() + 120
                while len(fake.requests_to("/sys/send.php")) < KILL_AFTER_SENDS:
                    if worker.poll() is not None or time.monotonic() > deadline:
                        log.seek(0)
                        self.fail(f"the worker never got going:\n{log.read().decode()[-2000:]}")
                    time.sleep(0.05)
                worker.kill()
                worker.wait(timeout=30)
            # the request in flight when the worker died still completes at SMSC; the real
            # stale-claim delay (minutes) leaves it all the time it needs
            time.sleep(fake.slow_seconds * 3)
            sent_before_crash = len(fake.requests_to("/sys/send.php"))
            self.assertLess(sent_before_crash, MESSAGES // BATCH, "the worker died in the middle")

            with self._committed() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                messages = env["sms.sms"].browse(sms_ids)
                # sent batches; the batch the worker died in and those never claimed
                self.assertLessEqual(set(messages.mapped("state")), {"pending", "outgoing"})
                # the batch it died in is named by the dispatch it committed before the call
                dispatches = env["sms.notify.dispatch"].search([("gateway_id", "=", gateway.id)])
                self.assertEqual(len(dispatches), 1)
                in_flight = env["sms.sms"].browse([planned[0] for planned in dispatches.planned])
                self.assertEqual(len(in_flight), BATCH)
                self.assertEqual(set(in_flight.mapped("state")), {"outgoing"})
                # time passes: the dead worker's claim becomes stale
                cr.execute(
                    "UPDATE sms_notify_dispatch SET create_date = %s WHERE id = ANY(%s)",
                    [fields.Datetime.now() - timedelta(hours=1), dispatches.ids],
                )
            fake.clear_failures()
            with self._committed() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["sms.sms"]._process_queue()
                states = env["sms.sms"].browse(sms_ids).mapped("state")

            sends = [
                phone
                for request in fake.requests_to("/sys/send.php")
                for phone in _phones_of(request.params)
            ]
            self.assertEqual(states, ["pending"] * MESSAGES, "0 lost")
            self.assertEqual(len(sends), MESSAGES, "0 duplicated: each number was sent once")
            self.assertEqual(len(set(sends)), MESSAGES)
            self.assertEqual(len(fake.messages), MESSAGES, "SMSC holds each message once")
        finally:
            with self._committed() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["sms.sms"].browse(sms_ids).unlink()
                env["sms.notify.gateway"].browse(gateway.id).unlink()
                env["ir.config_parameter"].set_param("sms.session.batch.size", batch_param)

    def test_dispatch_of_a_live_worker_is_left_alone(self):
        """A worker is handing a batch over: its dispatch is committed and it holds the
        batch's rows locked. Another worker's queue run must neither take the dispatch over
        nor remove it (it is what recovers the batch should this worker die next)."""
        fake = self.enterContext(FakeSmsc(login="shop", password="secret"))
        with self._committed() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            gateway = env["sms.notify.gateway"].create(
                {
                    "name": "Live worker SMSC",
                    "gateway_type": "smsc",
                    "sequence": -1,
                    "base_url": fake.url,
                    "login": "shop",
                    "password": "secret",
                }
            )
            sms = env["sms.sms"].create({"number": "+79123456783", "body": "In flight"})
            dispatch = env["sms.notify.dispatch"].create(
                {"gateway_id": gateway.id, "planned": [[sms.id, sms.number, "44:79123456783"]]}
            )
        live_worker = self._committed()
        try:
            live_worker.execute("SELECT id FROM sms_sms WHERE id = %s FOR UPDATE", [sms.id])
            with self._committed() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["sms.sms"]._sms_notify_recover_dispatches()
                self.assertTrue(env["sms.notify.dispatch"].browse(dispatch.id).exists())
                self.assertEqual(env["sms.sms"].browse(sms.id).state, "outgoing")
            self.assertFalse(fake.requests)
        finally:
            live_worker.rollback()
            live_worker.close()
            with self._committed() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["sms.notify.dispatch"].browse(dispatch.id).exists().unlink()
                env["sms.sms"].browse(sms.id).unlink()
                env["sms.notify.gateway"].browse(gateway.id).unlink()


def _phones_of(params):
    """The numbers of one send request: one per ``list`` line, or the ``phones`` list."""
    if params.get("list"):
        return [line.split(":", 1)[0] for line in params["list"].splitlines() if line]
    return params["phones"].split(",")
