import { registry } from "@web/core/registry";

// Statistics open on the delivery chart; a row of the list opens the message on its form.
registry.category("web_tour.tours").add("sms_notify_message_statistics_tour", {
    steps: () => [
        {
            content: "Statistics open on the chart of delivery per day",
            trigger: ".o_graph_view .o_graph_renderer canvas",
        },
        {
            content: "Switch to the list of messages",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Open the message to the tour's customer",
            trigger: ".o_data_row td[name='recipient_name']:contains('Tour Customer')",
            run: "click",
        },
        {
            content: "The sandbox's message does not read Delivered",
            trigger: ".o_form_view div[name='status'] .badge:contains('Sandbox (not sent)')",
        },
        {
            content: "The message links to its document",
            trigger: ".o_form_view div[name='document'] a:contains('Tour Order T-1')",
        },
        {
            content: "Its gateway is named",
            trigger: ".o_form_view div[name='gateway_id']:contains('Tour sandbox')",
        },
    ],
});
