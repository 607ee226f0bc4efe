import { registry } from "@web/core/registry";

const DIALOG = ".modal:has(.o_field_widget[name=sms_notify_gateway_name])";
const BODY = `${DIALOG} div[name=sms_body] textarea`;
// Three Unicode parts (170 UTF-16 units > 134) where the test's limit allows two.
const TOO_LONG = "Ваш заказ готов, ждём вас. ".repeat(7);

// What a sender sees in Notify: the customer of the document, the gateway and its sandbox
// warning, why the text is Unicode, the part limit turning the counter red while typing, the
// suite's pricing note, and a notice once sent.
registry.category("web_tour.tours").add("sms_notify_notify_dialog_tour", {
    steps: () => [
        {
            content: "Open Notify from the contact",
            trigger: ".o_form_view .o_form_statusbar button[name=action_sms_notify]",
            run: "click",
        },
        {
            content: "The contact is the customer, already selected",
            trigger: `${DIALOG} .o_field_widget[name=partner_id] input:value(Olga Tourova)`,
        },
        {
            content: "The gateway routing picks for the customer's number is named",
            trigger: `${DIALOG} .o_field_widget[name=sms_notify_gateway_name]:contains(Tour sandbox)`,
        },
        {
            content: "and the sandbox is a clear warning",
            trigger: `${DIALOG} .o_sms_notify_sandbox_notice.alert-warning:contains(never reach a phone)`,
        },
        {
            content: "Type Cyrillic and typographic quotes",
            trigger: BODY,
            run: "edit Ёлки «зелёные»",
        },
        {
            content: "The counter says which characters make the text Unicode",
            trigger: `${DIALOG} .o_sms_notify_unicode_reason:contains("Unicode because of: Ё, л, к, и, «, з, е, ё, н, ы, …")`,
        },
        {
            content: "The info icon explains how parts are counted and paid, not Odoo IAP's prices",
            trigger: `${DIALOG} span.o_sms_notify_pricing_help[data-tooltip*="parts of 153 characters (Unicode: 67)"]`,
        },
        {
            content: "No link to Odoo IAP's pricing for a message the sandbox sends",
            trigger: `${DIALOG}:not(:has(a[href*="iap-services.odoo.com"]))`,
        },
        {
            content: "Type a text longer than the limit of two parts",
            trigger: BODY,
            run: `edit ${TOO_LONG}`,
        },
        {
            content: "The counter turns red while typing",
            trigger: `${DIALOG} .o_sms_count.text-danger:contains("3 SMS (Unicode)")`,
        },
        {
            content: "and says the limit",
            trigger: `${DIALOG} .o_sms_notify_over_limit_text:contains(Over the limit of 2 SMS)`,
        },
        {
            content: "Shorten the text to plain GSM-7",
            trigger: BODY,
            run: "edit Your glasses are ready.",
        },
        {
            content: "The counter is back to normal, with no Unicode reason",
            trigger: `${DIALOG}:not(:has(.o_sms_notify_over_limit_text)):not(:has(.o_sms_notify_unicode_reason)) .o_sms_count.text-muted:contains("1 SMS (GSM-7)")`,
        },
        {
            content: "Send",
            trigger: `${DIALOG} .modal-footer button[name=action_send]`,
            run: "click",
        },
        {
            content: "A notice tells what happened",
            trigger: '.o_notification.o_sms_notify_outcome:contains(Olga Tourova notified):contains("SMS queued for sending: 1")',
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal)) .o_form_view",
        },
    ],
});
