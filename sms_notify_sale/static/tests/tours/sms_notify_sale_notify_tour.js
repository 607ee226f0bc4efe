import { registry } from "@web/core/registry";

const TEXT = "Your order is ready, welcome to Optika Nova!";

// A ready order is open: Notify, send, then find the message in the order's chatter and in
// the customer's SMS history.
registry.category("web_tour.tours").add("sms_notify_sale_notify_tour", {
    steps: () => [
        {
            content: "Press Notify on the ready order",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_sms_notify]",
            run: "click",
        },
        {
            content: "Write the SMS",
            trigger: ".modal .o_field_widget[name=sms_body] textarea",
            run: `edit ${TEXT}`,
        },
        {
            content: "The counter counts it",
            trigger: '.modal .o_sms_count:contains("1 SMS (GSM-7)")',
        },
        {
            content: "Send it",
            trigger: ".modal-footer button[name=action_send]",
            run: "click",
        },
        {
            content: "The message is in the order's chatter",
            trigger: `.o-mail-Message:contains("${TEXT}")`,
        },
        {
            content: "Open the customer",
            trigger: ".o_form_view .o_field_widget[name=partner_id] a.o_form_uri",
            run: "click",
        },
        {
            content: "Open the customer's SMS history",
            trigger: ".o_form_view button[name=action_view_sms_notify_history]",
            run: "click",
        },
        {
            content: "The message is in the customer's history",
            trigger: `.o_list_view .o_data_row:contains("${TEXT}")`,
        },
    ],
});
