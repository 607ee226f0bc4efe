import { Component, useExternalListener, useRef } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { evaluateBooleanExpr } from "@web/core/py_js/py";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/**
 * One button per token of the template's model; a click inserts the token into the text field
 * named by the `target` option, where the caret was, so that users who do not know the codes
 * by heart can still write with them. The palette's own field is computed, hence always read
 * only: whether it may write follows the target field.
 */
export class TokenPaletteField extends Component {
    static template = "sms_notify.TokenPaletteField";
    static props = {
        ...standardFieldProps,
        target: { type: String },
    };

    setup() {
        this.rootRef = useRef("root");
        // Where the caret was when the user last typed, clicked or left the text; null while
        // the text never had focus, and tokens then go at its end.
        this.selection = null;
        // The textarea belongs to another field widget and is re-created with it (tab switch,
        // reload): follow it through events reaching the document rather than its element.
        for (const type of ["input", "keyup", "mouseup", "select", "focusout"]) {
            useExternalListener(document, type, this.onTextActivity, { capture: true });
        }
    }

    get tokens() {
        return this.props.record.data[this.props.name] || [];
    }

    get disabled() {
        const { record } = this.props;
        const fieldInfo = record.activeFields[this.props.target];
        if (!record.isInEdition || !fieldInfo) {
            return true;
        }
        return evaluateBooleanExpr(fieldInfo.readonly, record.evalContextWithVirtualIds);
    }

    /** The target field's textarea in this palette's form, if the form shows it editable. */
    get textarea() {
        const form = this.rootRef.el?.closest(".o_form_renderer");
        const name = CSS.escape(this.props.target);
        return form?.querySelector(`.o_field_widget[name="${name}"] textarea`) || null;
    }

    code(token) {
        return `:${token.code}:`;
    }

    tooltip(token) {
        if (!token.aliases?.length) {
            return this.code(token);
        }
        return _t("%(token)s, also typed as %(aliases)s", {
            token: this.code(token),
            aliases: token.aliases.map((alias) => `:${alias}:`).join(", "),
        });
    }

    onTextActivity(ev) {
        const textarea = this.textarea;
        if (textarea && ev.target === textarea) {
            this.selection = { start: textarea.selectionStart, end: textarea.selectionEnd };
        }
    }

    onMouseDown(ev) {
        // Keep the focus, and so the caret and any text typed but not yet stored, in the text.
        ev.preventDefault();
    }

    async onClick(token) {
        if (this.disabled) {
            return;
        }
        const { record, target } = this.props;
        let textarea = this.textarea;
        // The textarea stores what is typed only when it is left: it holds the latest text.
        const text = textarea ? textarea.value : record.data[target] || "";
        let selection = this.selection;
        if (textarea && document.activeElement === textarea) {
            selection = { start: textarea.selectionStart, end: textarea.selectionEnd };
        }
        let inserted = this.code(token);
        let start = text.length;
        let end = text.length;
        if (selection) {
            start = Math.min(selection.start, text.length);
            end = Math.min(Math.max(selection.end, start), text.length);
        } else if (text && !/\s$/.test(text)) {
            inserted = ` ${inserted}`;
        }
        const value = text.slice(0, start) + inserted + text.slice(end);
        const caret = start + inserted.length;
        this.selection = { start: caret, end: caret };
        await record.update({ [target]: value });
        textarea = this.textarea;
        if (textarea) {
            // While the user's typing is not stored, the field leaves its textarea alone.
            if (textarea.value !== value) {
                textarea.value = value;
            }
            textarea.focus();
            textarea.setSelectionRange(caret, caret);
        }
    }
}

export const tokenPaletteField = {
    component: TokenPaletteField,
    displayName: _t("Token Palette"),
    supportedOptions: [
        {
            label: _t("Text field"),
            name: "target",
            type: "field",
            availableTypes: ["text", "char"],
        },
    ],
    supportedTypes: ["json"],
    extractProps: ({ options }) => ({ target: options.target }),
};

registry.category("fields").add("sms_notify_token_palette", tokenPaletteField);
