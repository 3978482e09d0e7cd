"""结业证书: a completion's certificate on the shared machinery of ``gonghui.core.certificates`` (the QR code signed
under this module's salt, the public check showing the holder's name masked, the PDF with the Chinese font
embedded)."""

from gonghui.core import certificates as kit
from gonghui.core.masking import mask_name
from gonghui.learning.models import Completion

SALT = "gonghui.learning.certificate"
VERIFY_LIMIT = kit.VERIFY_LIMIT


def certificate_code(completion: Completion) -> str:
    return kit.code_for(completion.key, salt=SALT)


def verify(code: str) -> kit.Verification:
    """What the public verification page shows for ``code``; one indexed lookup at most."""
    key = kit.key_of(code, salt=SALT)
    if key is None:
        return kit.Verification("forged")
    found = Completion.objects.filter(key=key).select_related("person", "course__org").first()
    if found is None:
        return kit.Verification("unknown")
    return kit.Verification("valid", found, mask_name(found.person.name))


def pdf(completion: Completion, verify_url: str) -> bytes:
    course = completion.course
    lines = [f"于 {course.starts_on:%Y年%m月%d日} 至 {course.ends_on:%Y年%m月%d日} 参加{course.org.name}组织的",
             f"《{course.title}》（{course.get_mode_display()}，{course.hours} 学时），",
             f"经考核合格，准予结业，获得 {completion.credits} 学分。"]  # fmt: skip
    if completion.score is not None:
        lines[-1] = f"考核成绩 {completion.score} 分，准予结业，获得 {completion.credits} 学分。"
    sheet = kit.Sheet(heading="结 业 证 书", holder=completion.person.name, lines=(*lines, "特发此证。"),
                      issuer=course.org.name, issued_on=completion.completed_on,
                      title=f"{course.title}结业证书")  # fmt: skip
    return kit.pdf(sheet, verify_url)
