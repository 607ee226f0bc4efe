import { registry } from "@web/core/registry";
import { ListController } from "@web/views/list/list_controller";
import { listView } from "@web/views/list/list_view";

/** The sandbox outbox looks like a real outbox, so it says loudly that nothing left Odoo. */
export class SandboxOutboxListController extends ListController {
    static template = "sms_notify.SandboxOutboxListView";
}

export const sandboxOutboxListView = {
    ...listView,
    Controller: SandboxOutboxListController,
};

registry.category("views").add("sms_notify_sandbox_outbox_list", sandboxOutboxListView);
