/**
 * Steps the suite's tours share.
 */

/**
 * A tour step that names the screen on display as a picture of an addon's readme
 * ("<addon>/<picture>"). The tour only logs the name; the test running it saves the picture
 * when asked to (`make screenshots`, see sms_notify/tests/tours.py). The short pause lets the
 * browser capture the screen before the next step changes it.
 */
export function screenshot(name) {
    return {
        content: `Picture of the screen: ${name}`,
        trigger: "body:not(:has(.o_loading_indicator))",
        async run() {
            console.log(`sms_notify:screenshot ${name}`);
            await new Promise((resolve) => setTimeout(resolve, 700));
        },
    };
}

/**
 * Type `search` into the many2one `field` of the form `form` and pick the suggestion matching
 * `option` (a text, or a /regular expression/ for Odoo's :contains).
 */
export function pick(form, field, search, option) {
    return [
        {
            content: `Look up ${search}`,
            trigger: `${form} .o_field_widget[name=${field}] input`,
            run: `edit ${search}`,
        },
        {
            content: `Pick ${search}`,
            trigger: `.o_field_widget[name=${field}] .o-autocomplete--dropdown-item a:contains(${option})`,
            run: "click",
        },
    ];
}
