import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { pick } from "@sms_notify/../tests/tours/steps";

const FORM = ".o_form_view";
const TEXT = `${FORM} .o_field_widget[name=sms_notify_text] textarea`;
const PALETTE = `${FORM} .o_sms_notify_token_palette`;
const MORE = ".o_dropdown_more";
const DIALOG = ".modal:has(.modal-title:contains('Send the SMS Mailing'))";


// Prepared in tests/test_ui.py: Anna, Boris and Clara Tourist, who agreed to promotions, behind the
// favourite filter "Tour spring customers"; the coupon program "Spring coupon"; an earlier SMS
// whose reported cost the estimate starts from.
registry.category("web_tour.tours").add("sms_notify_campaign_loyalty_tour", {
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
            run: "edit Spring coupons",
        },
        ...pick(FORM, "mailing_model_id", "Contact", "/^Contact$/"),
        ...pick(FORM, "mailing_filter_id", "Tour spring", "Tour spring customers"),
        {
            content: "The filter selects the three customers",
            trigger: `${FORM} .o_field_widget[name=mailing_domain] .o_domain_show_selection_button:contains("3 record(s)")`,
        },
        {
            content: "Start the text with the first name, from the palette",
            trigger: `${PALETTE} button[data-token=FirstName]:enabled`,
            run: "click",
        },
        {
            content: "Type the rest after the token",
            trigger: `${TEXT}:value(":FirstName:")`,
            // a function: a run string loses its trailing space
            run: (helpers) => helpers.fill(", -10% on all frames with the code "),
        },
        {
            // (no comma in a selector: it would separate two selectors)
            trigger: `${TEXT}:value(":FirstName:"):value("-10% on all frames with the code")`,
        },
        ...pick(FORM, "loyalty_program_id", "Spring coupon", "Spring coupon"),
        {
            content: "The form tells where the code goes",
            trigger: `${FORM} code:contains(":PromoCode:")`,
        },
        {
            content: "Put the recipient's code where the text was left",
            trigger: `${PALETTE} button[data-token=PromoCode]:enabled`,
            run: "click",
        },
        {
            trigger: `${TEXT}:value(":FirstName:"):value("with the code :PromoCode:")`,
        },
        {
            content: "The counter counts the longest text: Boris', first of the longest names",
            trigger: `${FORM} .o_field_widget[name=sms_notify_longest_summary]:contains("1 SMS"):contains("for Boris Tourist")`,
        },
        {
            content: "Open the summary",
            trigger: `${FORM} .o_notebook a[name=sms_notify_summary]`,
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
        {
            content: "Nobody is skipped",
            trigger: `${FORM} .o_field_widget[name=sms_notify_skipped_count]:contains(0)`,
        },
        {
            content: "The cost is estimated from the vendor's reported costs",
            trigger: `${FORM} .o_field_widget[name=sms_notify_cost_text]:contains("for 3 SMS part(s)")`,
        },
        {
            content: "Review the recipients",
            trigger: `${FORM} .o_statusbar_buttons button[name=action_sms_notify_recipients]`,
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Boris Tourist') td[name=outcome]:contains('Will receive it')",
        },
        {
            content: "Select Boris",
            trigger: ".o_list_view .o_data_row:contains('Boris Tourist') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Take him off this mailing",
            trigger: ".o_control_panel button[name=action_exclude]:contains('Take Off This Mailing')",
            run: "click",
        },
        {
            content: "Boris is taken off, the others still receive it",
            trigger: ".o_list_view:has(.o_data_row:contains('Anna Tourist') td[name=outcome]:contains('Will receive it')) .o_data_row:contains('Boris Tourist') td[name=outcome]:contains('Taken off this mailing')",
        },
        {
            content: "Back to the mailing",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Spring coupons')",
            run: "click",
        },
        {
            content: "Back to the text",
            trigger: `${FORM} .o_notebook a[name=sms_body]`,
            run: "click",
        },
        {
            content: "The counter follows those who will get it, Boris no longer",
            trigger: `${FORM} .o_field_widget[name=sms_notify_longest_summary]:contains("for Clara Tourist")`,
        },
        {
            content: "Send",
            trigger: `${FORM} .o_statusbar_buttons button[name=action_sms_notify_send_dialog]`,
            run: "click",
        },
        {
            content: "The confirmation: two will receive it",
            trigger: `${DIALOG} .o_field_widget[name=sms_notify_send_count]:contains(2)`,
        },
        {
            content: "Boris is counted as taken off",
            trigger: `${DIALOG} .o_field_widget[name=sms_notify_excluded_count]:contains(1)`,
        },
        {
            content: "The cost is the two SMS'",
            trigger: `${DIALOG} .o_field_widget[name=sms_notify_cost_text]:contains("for 2 SMS part(s)")`,
        },
        {
            content: "Confirm",
            trigger: `${DIALOG} .modal-footer button[name=action_put_in_queue]`,
            run: "click",
        },
        {
            content: "The mailing waits in the queue",
            trigger: `body:not(:has(.modal)) ${FORM} .o_statusbar_status button.o_arrow_button_current:contains("In Queue")`,
        },
    ],
});

// After the queue sent the mailing and the gateway reported both SMS delivered.
registry.category("web_tour.tours").add("sms_notify_campaign_loyalty_results_tour", {
    steps: () => [
        {
            content: "Open the SMS results",
            trigger: `${FORM} .o_notebook a[name=sms_notify_results]`,
            run: "click",
        },
        {
            // columns: gateway, processing, pending, delivered, ...
            content: "The gateway's row: two delivered",
            trigger: `${FORM} .o_sms_notify_campaign_results tr:contains("Test smsc") td:eq(3):contains(2)`,
        },
        {
            content: "The results' buttons are under More, after SMS Marketing's own",
            trigger: `${FORM} .o-form-buttonbox .o_button_more`,
            run: "click",
        },
        {
            content: "None cancelled",
            trigger: `${MORE} .oe_stat_button:has(.o_field_widget[name=sms_notify_cancelled_count]) .o_stat_value:contains(0)`,
        },
        {
            content: "Two SMS delivered: open them",
            trigger: `${MORE} .oe_stat_button:has(.o_field_widget[name=sms_notify_delivered_count]):has(.o_stat_value:contains(2))`,
            run: "click",
        },
        {
            content: "Anna's, not Boris'",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Boris Tourist'))) .o_data_row:contains('Anna Tourist')",
        },
        {
            content: "and Clara's",
            trigger: ".o_list_view .o_data_row:contains('Clara Tourist')",
        },
    ],
});
