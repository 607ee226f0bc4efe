import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const TEXT = ".o_form_view .o_field_widget[name=sms_notify_text] textarea";
const PALETTE = ".o_form_view .o_sms_notify_token_palette";

/** Waits for the text to hold `expected`, then checks it is all of it and where the caret is. */
function expectText(content, expected, caret) {
    return {
        content,
        trigger: `${TEXT}:value("${expected}")`,
        run() {
            const textarea = this.anchor;
            if (textarea.value !== expected) {
                throw new Error(`The text is "${textarea.value}", expected "${expected}"`);
            }
            if (document.activeElement !== textarea) {
                throw new Error("The text lost the focus after the token was inserted");
            }
            if (textarea.selectionStart !== caret || textarea.selectionEnd !== caret) {
                throw new Error(
                    `The caret is at ${textarea.selectionStart}-${textarea.selectionEnd}, expected ${caret}`
                );
            }
        },
    };
}

// The template starts as "See you at" (sms_notify/tests/test_ui.py).
registry.category("web_tour.tours").add("sms_notify_token_palette_tour", {
    steps: () => [
        {
            content: "The palette shows each token's label and code",
            trigger: `${PALETTE} button:contains("First name"):contains(":FirstName:")`,
        },
        {
            content: "and the codes in other languages in the tooltip",
            trigger: `${PALETTE} button[title*=":Имя:"][title*=":Imię:"]:contains("First name")`,
        },
        {
            content: "Pick a token before the text ever had the focus",
            trigger: `${PALETTE} button:contains("Shop name"):enabled`,
            run: "click",
        },
        expectText("It goes at the end, after a space", "See you at :ShopName:", 21),
        {
            content: "Type the text",
            trigger: TEXT,
            run: "edit Hello , call us at :ShopName:",
        },
        {
            content: "Put the caret after the greeting",
            trigger: TEXT,
            run() {
                this.anchor.focus();
                this.anchor.setSelectionRange(6, 6);
            },
        },
        {
            content: "Pick the first name",
            trigger: `${PALETTE} button:contains("First name")`,
            run: "click",
        },
        expectText(
            "The first name is where the caret was, and the caret after it",
            "Hello :FirstName:, call us at :ShopName:",
            17
        ),
        {
            content: "Select the shop's name",
            trigger: TEXT,
            run() {
                this.anchor.setSelectionRange(30, 40);
            },
        },
        {
            content: "Leave the text for another field",
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: "click",
        },
        {
            content: "Pick the shop's phone",
            trigger: `${PALETTE} button:contains("Shop phone")`,
            run: "click",
        },
        expectText(
            "The phone replaces what was selected when the text was left",
            "Hello :FirstName:, call us at :ShopPhone:",
            41
        ),
        ...stepUtils.saveForm(),
    ],
});

registry.category("web_tour.tours").add("sms_notify_token_palette_readonly_tour", {
    steps: () => [
        {
            content: "A user who may not edit the template sees the tokens",
            trigger: `${PALETTE} button:contains("First name"):disabled`,
        },
        {
            content: "but cannot insert any",
            trigger: `${PALETTE}:not(:has(button:enabled))`,
        },
    ],
});
