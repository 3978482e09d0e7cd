"""Background work of the message centre (django-tasks): sending a message by text and further channels."""

from django_tasks import task

from gonghui.messages import services


@task()
def deliver_task(message_id: int) -> dict:
    return {"message": message_id, "sent": services.message_deliver(message_id=message_id)}
