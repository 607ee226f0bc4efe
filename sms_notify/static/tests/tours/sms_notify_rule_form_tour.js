import { registry } from "@web/core/registry";

const SWITCH = ".o_form_view div[name='switch']";

// The rule's form: the On/Off switch under its name, the delay with its unit, the sentence
// that follows the settings as they are typed, and the next messages with their text.
registry.category("web_tour.tours").add("sms_notify_rule_form_tour", {
    steps: () => [
        {
            content: "A rule switched off says so under its name",
            trigger: `${SWITCH} span:contains("Off"):visible`,
        },
        {
            content: "Switch the rule on",
            trigger: `${SWITCH} .o_field_boolean_toggle input`,
            run: "click",
        },
        {
            content: "The switch says On",
            trigger: `${SWITCH} span:contains("On"):visible`,
        },
        {
            content: "Type a delay of 2",
            trigger: ".o_form_view div[name='delay_amount'] input",
            run: "edit 2",
        },
        {
            content: "Count it in hours",
            trigger: ".o_form_view div[name='delay_unit'] select",
            run: "selectByLabel Hours",
        },
        {
            content: "The sentence follows: 2 hours later",
            trigger: '.o_form_view div[name="description"]:contains("2 hours later")',
        },
        {
            content: "The next message waiting is listed with its text",
            trigger:
                '.o_form_view div[name="upcoming_scheduled_ids"] td:contains("Tour Customer, your loyalty card is ready.")',
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_form_saved",
        },
    ],
});
