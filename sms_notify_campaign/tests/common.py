def create_sms_mailing(env, records, **values):
    """An SMS mailing to ``records`` (selected by id), without SMS Marketing's opt-out link
    unless ``values`` ask for it: the texts the tests compare are the ones typed."""
    return env["mailing.mailing"].create(
        {
            "subject": "Spring sale",
            "mailing_type": "sms",
            "mailing_model_id": env["ir.model"]._get_id(records._name),
            "mailing_domain": repr([("id", "in", records.ids)]),
            "sms_allow_unsubscribe": False,
            **values,
        }
    )
