"""Outgoing mail through the task queue: every sender calls mailqueue.tasks.send_mail_later."""
