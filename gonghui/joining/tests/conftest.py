"""Online joining tests: a helper makes an application through the services, the way a worker would (text
messages go to the in-memory outbox, see gonghui.testing.fixtures)."""

import re

from gonghui.core import sms
from gonghui.joining import services
from gonghui.orgs.models import Region
from gonghui.testing.cast import valid_id

NEW_PHONE = "13566667777"
NEW_ID = valid_id("33010619950101003")
PASSWORD = "Ruhui-shenqing-2024"


def last_code() -> str:
    return re.search(r"验证码是 (\d{6})", sms.outbox[-1].text).group(1)


def verified(phone: str = NEW_PHONE):
    verification = services.phone_code_send(phone=phone)
    return services.phone_code_verify(verification=verification, code=last_code())


def submit(*, phone: str = NEW_PHONE, id_number: str = NEW_ID, region: str = "330106004", employer=None,
           employment_form: str = "courier", join_code=None, name: str = "赵强"):  # fmt: skip
    return services.application_submit(
        verification=verified(phone), name=name, id_number=id_number, password=PASSWORD,
        employment_form=employment_form, region=Region.objects.get(code=region), employer=employer,
        job_title="快递员", join_code=join_code, consent=True,
    )  # fmt: skip
