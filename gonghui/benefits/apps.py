from gonghui.core.registry import (
    Figure,
    GonghuiAppConfig,
    HomePage,
    NavItem,
    PiplExemption,
    PiplSection,
    Retention,
    WorkerTile,
)


class BenefitsConfig(GonghuiAppConfig):
    name = "gonghui.benefits"
    verbose_name = "普惠"
    audit_actions = {
        "benefits.offer_create": "发放普惠券", "benefits.offer_close": "普惠券停止发放",
        "benefits.voucher_claim": "领取普惠券", "benefits.voucher_redeem": "核销普惠券",
        "benefits.merchant_create": "签约合作商户并开设商户账号", "benefits.merchant_invite": "重发商户账号邀请",
        "benefits.merchant_invite_accept": "商户通过邀请设置密码",
        "benefits.offers.export": "导出普惠券发放与核销", "benefits.merchants.export": "导出合作商户",
    }  # fmt: skip
    urls, url_prefix = "gonghui.benefits.urls", "benefits/"
    api_router, api_prefix = "gonghui.benefits.api.router", "/benefits"
    api_field_labels = {"voucher_code": "券码", "discount_fen": "本次优惠金额"}
    nav = (
        NavItem("普惠", "benefits:list", "benefits", "gonghui.accounts.audiences.cadre", order=50, group="服务职工"),
        NavItem("核销", "benefits:redeem", "benefits_redeem", "gonghui.benefits.audiences.merchant", order=1),
        NavItem("核销记录", "benefits:redemptions", "benefits_redemptions", "gonghui.benefits.audiences.merchant",
                order=2),
    )  # fmt: skip
    home_pages = (HomePage("benefits:redeem", "gonghui.benefits.audiences.merchant", order=10),)
    worker_tiles = (
        WorkerTile("普惠福利", "benefits:mine", order=17, audience="gonghui.accounts.audiences.member",
                   hint="夏送清凉等普惠券，线上领券、到店核销", icon="惠"),
    )  # fmt: skip
    pipl_sections = (
        PiplSection("普惠券", "gonghui.benefits.pipl.vouchers_section", order=62, models=("benefits.Voucher",)),
    )
    pipl_exempt = (
        PiplExemption("benefits.Merchant", "合作商户是经营单位，不是个人；其账号登录名为随机生成，不含个人信息。"),
    )
    retention = (
        Retention("benefit_voucher", "领取的普惠券（谁领了什么、在哪里使用）", "delete",
                  "gonghui.benefits.services.vouchers_delete", order=62,
                  days_setting="gonghui.benefits.policy.voucher_keep_days"),
    )  # fmt: skip
    demo, demo_after = "gonghui.benefits.demo.demo_load", ("members", "venues")
    permission_matrix = "gonghui.benefits.tests.test_permissions"
    overview_figures = (
        Figure("benefits_claimed", "本年领取普惠券", "张", "gonghui.benefits.selectors.claimed_this_year", order=60,
               subtree="gonghui.benefits.selectors.claimed_this_year_under",
               per_org="gonghui.benefits.selectors.claimed_this_year_by_org", url_name="benefits:list"),
        Figure("benefits_redeemed", "本年核销普惠券", "张", "gonghui.benefits.selectors.redeemed_this_year", order=61,
               subtree="gonghui.benefits.selectors.redeemed_this_year_under",
               per_org="gonghui.benefits.selectors.redeemed_this_year_by_org", url_name="benefits:list"),
    )  # fmt: skip
