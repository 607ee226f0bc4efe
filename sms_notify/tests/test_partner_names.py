from odoo.tests import Form, TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPartnerNames(TransactionCase):
    """The first name, patronymic and last name messages greet customers with, read from the
    contact's name and corrected by users where the reading is wrong."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]

    def assertNameParts(self, partner, first, patronymic, last):
        self.assertEqual(
            (
                partner.sms_notify_first_name,
                partner.sms_notify_patronymic,
                partner.sms_notify_last_name,
            ),
            (first, patronymic, last),
        )

    def test_parts_are_read_from_the_name(self):
        self.assertNameParts(
            self.Partner.create({"name": "Anna Petrova"}), "Anna", False, "Petrova"
        )
        self.assertNameParts(
            self.Partner.create({"name": "Петрова Анна Сергеевна"}), "Анна", "Сергеевна", "Петрова"
        )
        self.assertNameParts(self.Partner.create({"name": "Anna"}), "Anna", False, False)

    def test_parts_given_with_the_name_are_kept(self):
        partner = self.Partner.create(
            {
                "name": "Петрова Анна",
                "sms_notify_first_name": "Анна",
                "sms_notify_last_name": "Петрова",
            }
        )
        self.assertNameParts(partner, "Анна", False, "Петрова")

    def test_corrected_parts_survive_a_change_that_keeps_their_words(self):
        partner = self.Partner.create({"name": "Петрова Анна"})
        self.assertNameParts(partner, "Петрова", False, "Анна")
        partner.write({"sms_notify_first_name": "Анна", "sms_notify_last_name": "Петрова"})
        partner.name = "Петрова  Анна"
        self.assertNameParts(partner, "Анна", False, "Петрова")

    def test_parts_are_read_again_when_the_name_changes(self):
        partner = self.Partner.create({"name": "Anna Petrova"})
        partner.name = "Anna Ivanova"
        self.assertNameParts(partner, "Anna", False, "Ivanova")

    def test_companies_have_no_name_parts(self):
        company = self.Partner.create({"name": "Optika Pro LLC", "is_company": True})
        self.assertNameParts(company, False, False, False)
        person = self.Partner.create({"name": "Anna Petrova"})
        person.is_company = True
        self.assertNameParts(person, False, False, False)
        person.is_company = False
        self.assertNameParts(person, "Anna", False, "Petrova")

    def test_form_reads_the_parts_while_the_name_is_typed(self):
        with Form(self.Partner) as form:
            form.name = "Иванов Дмитрий Петрович"
            self.assertEqual(form.sms_notify_first_name, "Дмитрий")
            self.assertEqual(form.sms_notify_patronymic, "Петрович")
            form.sms_notify_gender = "male"
            form.sms_notify_birthday = "1990-05-17"
        partner = form.save()
        self.assertNameParts(partner, "Дмитрий", "Петрович", "Иванов")
        self.assertEqual(partner.sms_notify_gender, "male")
        self.assertEqual(str(partner.sms_notify_birthday), "1990-05-17")
