from gonghui.core.registry import GonghuiAppConfig, NavItem, PiplSection, Retention


class MessagesConfig(GonghuiAppConfig):
    name = "gonghui.messages"
    label = "messaging"  # "messages" is django.contrib.messages
    verbose_name = "消息中心"
    audit_actions = {"message.preference": "修改消息通知设置"}
    urls, url_prefix = "gonghui.messages.urls", "messages/"
    api_router, api_prefix = "gonghui.messages.api.router", "/messages"
    api_field_labels = {"sms_optional": "非必要的通知也发短信"}
    nav = (
        NavItem("消息", "messages:inbox", "messages", "gonghui.messages.selectors.has_inbox", order=69,
                badge="gonghui.messages.selectors.unread_count"),
    )  # fmt: skip
    pipl_sections = (
        PiplSection("消息", "gonghui.messages.pipl.messages_section", order=80,
                    models=("messaging.Message", "messaging.Delivery", "messaging.Preference")),
    )  # fmt: skip
    retention = (
        Retention("message", "消息中心的消息及其短信、微信送达记录", "delete",
                  "gonghui.messages.services.messages_delete", order=70,
                  days_setting="gonghui.messages.policy.keep_days"),
    )  # fmt: skip
    demo, demo_after = "gonghui.messages.demo.demo_load", ("members", "joining", "assistance")
    permission_matrix = "gonghui.messages.tests.test_permissions"
