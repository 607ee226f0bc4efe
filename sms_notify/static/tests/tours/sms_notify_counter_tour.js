import { registry } from "@web/core/registry";

const ORDER_READY = "Your order [A-12] is ready: 25 € to pay.";
const BODY = ".modal .o_field_sms_widget textarea";

// Expected counts come from sms_notify/tools/gsm.py: "€", "[" and "]" are 2-septet GSM-7
// extension characters, so these texts stay GSM-7 where the stock counter said Unicode.
registry.category("web_tour.tours").add("sms_notify_counter_tour", {
    steps: () => [
        {
            // The SMS button only shows while the phone field is hovered or focused.
            content: "Focus the customer's phone",
            trigger: ".o_form_view .o_field_phone input",
            run: "click",
        },
        {
            content: "Open the SMS composer from the customer's phone",
            trigger: ".o_form_view .o_field_phone_sms",
            run: "click",
        },
        {
            content: "Type a message with GSM-7 extension characters",
            trigger: BODY,
            run: `edit ${ORDER_READY}`,
        },
        {
            content: "€ [ ] count two septets each and keep the message GSM-7",
            trigger: '.modal .o_sms_count:contains("43 characters, 1 SMS (GSM-7), 117 left in this SMS")',
        },
        {
            content: "Make the message longer than one SMS",
            trigger: BODY,
            run: `edit ${[ORDER_READY, ORDER_READY, ORDER_READY, ORDER_READY].join(" ")}`,
        },
        {
            content: "Concatenated GSM-7: two segments of 153 septets, not three Unicode ones",
            trigger: '.modal .o_sms_count:contains("175 characters, 2 SMS (GSM-7), 131 left in this SMS")',
        },
        {
            content: "Type Cyrillic",
            trigger: BODY,
            run: "edit Ваш заказ [A-12] готов: 25 €",
        },
        {
            content: "Cyrillic makes the message Unicode: 70 UTF-16 units per SMS",
            trigger: '.modal .o_sms_count:contains("28 characters, 1 SMS (Unicode), 42 left in this SMS")',
        },
        {
            content: "Leave the message so the composer stores it",
            trigger: ".modal .modal-title",
            run: "click",
        },
        {
            content: "The stored message is counted the same way",
            trigger: '.modal .o_sms_count:contains("28 characters, 1 SMS (Unicode), 42 left in this SMS")',
        },
        {
            content: "Close the composer without sending",
            trigger: ".modal-footer button:contains(Close)",
            run: "click",
        },
        {
            content: "Back on the customer",
            trigger: "body:not(:has(.modal)) .o_form_view .o_field_phone",
        },
    ],
});

registry.category("web_tour.tours").add("sms_notify_sandbox_outbox_tour", {
    steps: () => [
        {
            content: "The sandbox outbox warns that nothing reached a phone",
            trigger:
                '.o_list_view .o_sms_notify_sandbox_banner.alert-warning:contains("Sandbox — not delivered to phones")',
        },
        {
            content: "and explains the simulated delivery reports",
            trigger: '.o_sms_notify_sandbox_banner:contains("numbers ending in 0000 come back as not delivered")',
        },
        {
            content: "The banner stands above the recorded messages",
            trigger: ".o_sms_notify_sandbox_banner ~ .o_list_renderer .o_data_row:contains(Sandbox outbox tour message)",
        },
    ],
});
