import { registry } from "@web/core/registry";
import { screenshot } from "@sms_notify/../tests/tours/steps";

const FORM = ".o_form_view";
const SWITCH = `${FORM} div[name='switch']`;

// A salon administrator whose interface is in Russian switches on the ready-made reminder the
// day before each appointment, sent from the salon's own phone.
registry.category("web_tour.tours").add("sms_notify_calendar_salon_ru_tour", {
    steps: () => [
        {
            content: "The ready-made reminder, under its Russian name",
            trigger: `${FORM} .o_field_widget[name=name] input:value('Напоминание о записи за день')`,
        },
        {
            content: "It is off, and says so in Russian",
            trigger: `${SWITCH} span:contains("Выкл."):visible`,
        },
        {
            content: "Send it through the salon's phone",
            trigger: `${FORM} .o_field_widget[name=gateway_id] input`,
            run: "edit Телефон",
        },
        {
            content: "Pick the phone",
            trigger: ".o_field_widget[name=gateway_id] .o-autocomplete--dropdown-item a:contains('Телефон салона')",
            run: "click",
        },
        {
            content: "Switch the reminder on",
            trigger: `${SWITCH} .o_field_boolean_toggle input`,
            run: "click",
        },
        {
            content: "The switch says On, in Russian",
            trigger: `${SWITCH} span:contains("Вкл."):visible`,
        },
        {
            content: "The rule in words names the phone",
            trigger: `${FORM} div[name="description"]:contains("Телефон салона")`,
        },
        screenshot("sms_notify_calendar/reminder_rule"),
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: `${FORM} .o_form_saved`,
        },
    ],
});
