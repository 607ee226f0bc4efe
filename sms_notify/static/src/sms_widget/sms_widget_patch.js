import { analyze, unicodeReason } from "@sms_notify/gsm";
import { SmsWidget } from "@sms/components/sms_widget/fields_sms_widget";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { useEffect, useState } from "@odoo/owl";

function stockCount(text) {
    return text.length + (text.match(/\n/g) || []).length;
}

/**
 * Count like the network does: GSM-7 extension characters (€ [ ] { } ~ ^ \ |) cost two septets
 * instead of flipping the message to Unicode, newlines cost one, and a character never straddles
 * two segments. `_getValueForSmsCounts` stays the input so link-tracker replacements still count.
 */
patch(SmsWidget.prototype, {
    setup() {
        super.setup(...arguments);
        // The textarea only writes to the record when it is left, so the counter follows the
        // keystrokes itself; once the record holds the text (or an onchange replaced it), the
        // record is the truth again.
        this.smsTyped = useState({ value: null });
        useEffect(
            (textarea) => {
                if (!textarea) {
                    return;
                }
                const onInput = () => (this.smsTyped.value = textarea.value);
                textarea.addEventListener("input", onInput);
                return () => textarea.removeEventListener("input", onInput);
            },
            () => [this.targetEditElement.el]
        );
        useEffect(
            () => {
                this.smsTyped.value = null;
            },
            () => [this.props.record.data[this.props.name]]
        );
    },
    get nbrChar() {
        // Patches such as mass_mailing_sms' opt-out link add to the stock count; carry what they
        // add, whichever order the patches load in.
        const stored = this._getValueForSmsCounts(this.props.record.data[this.props.name] || "");
        const added = super.nbrChar - stockCount(stored);
        return analyze(this._smsCountedText()).units + added;
    },
    get encoding() {
        // Keep the stock vocabulary for code comparing it; the counter shows encodingLabel.
        return this.smsAnalysis.encoding === "gsm7" ? "GSM7" : "UNICODE";
    },
    get encodingLabel() {
        // "GSM-7" is the name of the standard alphabet and stays as is in every language.
        return this.smsAnalysis.encoding === "gsm7" ? "GSM-7" : _t("Unicode");
    },
    get nbrSMS() {
        return this.smsAnalysis.segments;
    },
    get smsCharsLeft() {
        return this.smsAnalysis.charsLeft;
    },
    /**
     * Analysis of the text as it will be sent. Characters other patches append after the body
     * (e.g. the opt-out link) are counted as plain single-unit characters at its end.
     */
    get smsAnalysis() {
        const text = this._smsCountedText();
        const appended = this.nbrChar - analyze(text).units;
        return analyze(appended > 0 ? text + " ".repeat(appended) : text);
    },
    get smsCounterText() {
        return _t(
            "%(characters)s characters%(explanation)s, %(count)s SMS (%(encoding)s), %(left)s left in this SMS",
            {
                characters: this.nbrChar,
                explanation: this.nbrCharExplanation,
                count: this.nbrSMS,
                encoding: this.encodingLabel,
                left: this.smsCharsLeft,
            }
        );
    },
    /**
     * The characters that make the text Unicode (70 characters per SMS instead of 160), for the
     * writer to replace; empty for a GSM-7 text.
     */
    get smsUnicodeReasonText() {
        if (this.smsAnalysis.encoding === "gsm7") {
            return "";
        }
        return _t("Unicode because of: %(characters)s", {
            characters: unicodeReason(this._smsCountedText()),
        });
    },
    /**
     * The most SMS parts a message may take, when the form tells it (field
     * `sms_notify_segment_limit` of Notify and of the SMS composer: the template's limit, else
     * the one in Settings); 0 when there is none.
     */
    get smsSegmentLimit() {
        return this.props.record.data.sms_notify_segment_limit || 0;
    },
    get smsOverLimit() {
        return Boolean(this.smsSegmentLimit) && this.nbrSMS > this.smsSegmentLimit;
    },
    get smsOverLimitText() {
        return _t("Over the limit of %(limit)s SMS: shorten the text.", {
            limit: this.smsSegmentLimit,
        });
    },
    /** Whether the message goes through Odoo IAP, whose own pricing page then applies. */
    get smsSentThroughIap() {
        return Boolean(this.props.record.data.sms_notify_gateway_iap);
    },
    get smsPricingHelp() {
        // one literal: the translation export only reads whole strings
        return _t(
            "How SMS are counted: one SMS holds 160 characters, or 70 when the text needs Unicode (Cyrillic, typographic quotes, emoji). A longer text is split into parts of 153 characters (Unicode: 67). € and the brackets [ ] { } count as two characters. Each part is paid at the price of your tariff, or of the gateway when there is no tariff."
        );
    },
    _smsCountedText() {
        const value = this.smsTyped.value ?? this.props.record.data[this.props.name];
        return this._getValueForSmsCounts(value || "");
    },
});
