import { registry } from "@web/core/registry";
import { screenshot } from "@sms_notify/../tests/tours/steps";

// An optician in Russia tells a customer the glasses are ready: a salesperson whose interface
// is in Russian opens the ready order, presses Notify and sends the ready-order SMS, in the
// customer's language, without writing a word.
registry.category("web_tour.tours").add("sms_notify_sale_ru_tour", {
    steps: () => [
        {
            content: "The ready order offers Notify, in Russian",
            trigger:
                ".o_form_view .o_statusbar_buttons button[name=action_sms_notify]:contains('Уведомить')",
            run: "click",
        },
        {
            content: "The dialog's title is Russian",
            trigger: ".modal .modal-title:contains('Уведомить')",
        },
        {
            content: "The customer is chosen",
            trigger: ".modal .o_field_widget[name=partner_id] input:value('Ирина Смирнова')",
        },
        {
            content: "The ready-order template is chosen, under its Russian name",
            trigger: ".modal .o_field_widget[name=sms_template_id] input:value('Заказ готов')",
        },
        {
            content: "Its text is written in the customer's language",
            trigger: ".modal .o_field_widget[name=sms_body] textarea:value('ваш заказ')",
        },
        {
            content: "The counter counts it",
            trigger: ".modal .o_sms_count:contains('SMS')",
        },
        screenshot("sms_notify_sale/notify_ready_order"),
        {
            content: "Send it",
            trigger: ".modal-footer button[name=action_send]:contains('Отправить')",
            run: "click",
        },
        {
            content: "The SMS is in the order's chatter",
            trigger: "body:not(:has(.modal)) .o-mail-Message:contains('ваш заказ')",
        },
    ],
});
