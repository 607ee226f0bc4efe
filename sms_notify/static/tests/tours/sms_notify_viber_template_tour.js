import { registry } from "@web/core/registry";

const FORM = ".o_form_view";

// The template starts as an SMS-only template (sms_notify/tests/test_ui.py).
registry.category("web_tour.tours").add("sms_notify_viber_template_tour", {
    steps: () => [
        {
            content: "An SMS-only template has no Viber page and no wait",
            trigger: `${FORM}:not(:has(.o_notebook .nav-link:contains(Viber))):not(:has(.o_field_widget[name=viber_wait_minutes]))`,
        },
        {
            content: "Send it by Viber, then SMS",
            trigger: `${FORM} .o_field_widget[name=delivery_mode] .o_radio_input[data-value=viber_sms]`,
            run: "click",
        },
        {
            content: "The wait for Viber shows, 15 minutes by default",
            trigger: `${FORM} .o_field_widget[name=viber_wait_minutes] input:value(15)`,
            run: "edit 20",
        },
        {
            content: "Open the Viber page",
            trigger: `${FORM} .o_notebook .nav-link:contains(Viber)`,
            run: "click",
        },
        {
            content: "Write the Viber text with a token",
            trigger: `${FORM} .o_field_widget[name=sms_notify_viber_text] textarea`,
            run: "edit :FirstName:, your glasses are ready: come by until 8 pm.",
        },
        {
            content: "Save",
            trigger: `${FORM} .o_form_button_save`,
            run: "click",
        },
        {
            content: "Saved",
            trigger: `${FORM} .o_form_saved`,
        },
    ],
});
