from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "ksr_portal.backup"
    label = "backup"
    verbose_name = "Backup and restore"
