import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { pick, screenshot } from "@sms_notify/../tests/tours/steps";

const FORM = ".o_form_view";
const TEXT = `${FORM} .o_field_widget[name=sms_notify_text] textarea`;
const DIALOG = ".modal:has(.modal-title:contains('Отправка SMS-рассылки'))";


// A marketer whose interface is in Russian sends a promotion to the customers who agreed to
// receive one (prepared in tests/test_ui.py: three customers behind the favourite filter
// "Весенние клиенты"): the text greets each by first name, the summary says who receives it
// and what it costs, and the mailing goes to the queue after the confirmation.
registry.category("web_tour.tours").add("sms_notify_campaign_ru_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open SMS Marketing",
            trigger: '.o_app[data-menu-xmlid="mass_mailing_sms.mass_mailing_sms_menu_root"]',
            run: "click",
        },
        {
            content: "Create an SMS mailing",
            trigger: ".o_control_panel .o-kanban-button-new, .o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "Title it",
            trigger: `${FORM} .o_field_widget[name=sms_subject] input`,
            run: "edit Весенняя акция",
        },
        ...pick(FORM, "mailing_model_id", "Контакт", "/^Контакт$/"),
        ...pick(FORM, "mailing_filter_id", "Весенние", "Весенние клиенты"),
        {
            content: "Start the text with the first name, from the palette",
            trigger: `${FORM} .o_sms_notify_token_palette button[data-token=FirstName]:enabled`,
            run: "click",
        },
        {
            content: "Type the rest after the token",
            trigger: `${TEXT}:value(":FirstName:")`,
            run: (helpers) => helpers.fill(", скидка 10% на все оправы до конца марта"),
        },
        {
            content: "The counter counts the longest text",
            trigger: `${FORM} .o_field_widget[name=sms_notify_longest_summary]:contains("SMS")`,
        },
        {
            content: "Open the summary, in Russian",
            trigger: `${FORM} .o_notebook a[name=sms_notify_summary]:contains('Сводка')`,
            run: "click",
        },
        {
            content: "Compute it (the mailing is saved first)",
            trigger: `${FORM} button[name=action_sms_notify_refresh_summary]`,
            run: "click",
        },
        {
            content: "All three will receive it",
            trigger: `${FORM} .o_field_widget[name=sms_notify_send_count]:contains(3)`,
        },
        screenshot("sms_notify_campaign/summary"),
        {
            content: "Send",
            trigger: `${FORM} .o_statusbar_buttons button[name=action_sms_notify_send_dialog]`,
            run: "click",
        },
        {
            content: "The confirmation, in Russian: three will receive it",
            trigger: `${DIALOG} .o_field_widget[name=sms_notify_send_count]:contains(3)`,
        },
        screenshot("sms_notify_campaign/send_confirmation"),
        {
            content: "Confirm",
            trigger: `${DIALOG} .modal-footer button[name=action_put_in_queue]`,
            run: "click",
        },
        {
            content: "The mailing waits in the queue",
            trigger: `body:not(:has(.modal)) ${FORM} .o_statusbar_status button.o_arrow_button_current:contains("В очереди")`,
        },
    ],
});
