import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const FORM = ".o_form_view";
const TEXT = `${FORM} .o_field_widget[name=sms_notify_text] textarea`;
const PALETTE = `${FORM} .o_sms_notify_token_palette`;

// The mailing goes to Anna and Юля, its text starts as "Spring sale" (tests/test_campaign_text.py).
registry.category("web_tour.tours").add("sms_notify_campaign_text_tour", {
    steps: () => [
        {
            content: "The palette offers the tokens of mailing-list contacts",
            trigger: `${PALETTE} button:contains("First name"):enabled`,
            run: "click",
        },
        {
            content: "The token goes at the end of the text",
            trigger: `${TEXT}:value("Spring sale :FirstName:")`,
        },
        {
            content: "Leave the text",
            trigger: `${FORM} .o_field_widget[name=sms_notify_transliterate] input`,
            run: "click",
        },
        {
            content: "The counter counts the longest rendered text and names no Unicode once transliterated",
            trigger: `${FORM} .o_field_widget[name=sms_notify_longest_summary]:contains("the longest text, for Юля"):contains("GSM-7")`,
        },
        {
            content: "The preview shows the longest text",
            trigger: `${FORM} .o_field_widget[name=sms_notify_preview_text]:contains("Spring sale Iulia")`,
        },
        {
            content: "Choose Anna for the preview",
            trigger: `${FORM} .o_field_widget[name=sms_notify_preview_res_id] input`,
            run: "edit Anna",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Anna')",
            run: "click",
        },
        {
            content: "The preview shows Anna's text",
            trigger: `${FORM} .o_field_widget[name=sms_notify_preview_text]:contains("Spring sale Anna")`,
        },
        ...stepUtils.saveForm(),
        {
            content: "The placeholders page shows the saved text as it is rendered",
            trigger: `${FORM} .o_notebook a[name=sms_notify_placeholders]`,
            run: "click",
        },
        {
            trigger: `${FORM} .o_field_widget[name=body_plaintext] textarea:value("Spring sale {{ object.sms_notify_first_name }}")`,
        },
    ],
});
