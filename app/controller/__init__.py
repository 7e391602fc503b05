"""The one face the desktop app talks to: sign-in, the key and its recovery kit, folders,
protection, starting at sign-in, the account and its privacy rights, and browsing and restoring
snapshots. Qt-free; it does what `app/commands` do for the terminal, in the shapes a window needs
(small frozen dataclasses), and holds no widget state.

Modules, one job each: `facade` (the `Controller`), `signin`, `keys` (key and recovery kit),
`folders`, `protection`, `account_status`, `service_calls` (export, delete, updates),
`account_changes` (password, this PC's name, consents) and `restore_session`. Import from this
package; the split is an inside matter.

The errors of the layers below that reach a window (the sign-in state, the keychain, starting at
sign-in, the service's refusals) are exported here too, so the GUI can word each one without
importing those layers itself.
"""

from app.connect import NotInitialised, NotLoggedIn
from app.controller.account_changes import (
    NOT_ACCEPTED,
    WRONG_CURRENT,
    Consent,
    PasswordChanged,
    PasswordRefused,
)
from app.controller.account_status import AccountStatus, AccountWarning, Device
from app.controller.account_status import parse_account_status as _account_status
from app.controller.facade import Controller
from app.controller.folders import FOLDER_SIZE_BUDGET_S, FolderSize, folder_size
from app.controller.keys import KitSaved
from app.controller.protection import pause_until_tomorrow
from app.controller.restore_session import (
    Entry,
    RestoreItem,
    RestoreOutcome,
    RestoreSession,
    Snapshot,
    Version,
)
from app.controller.service_calls import ServiceLacksFeature, UpdateInfo
from app.controller.signin import Setup, SignedIn
from app.platform.autostart import AutostartError
from app.platform.keystore import KeystoreError
from app.storage.http import ServiceRefused

__all__ = [
    "FOLDER_SIZE_BUDGET_S",
    "NOT_ACCEPTED",
    "WRONG_CURRENT",
    "AccountStatus",
    "AccountWarning",
    "AutostartError",
    "Consent",
    "Controller",
    "Device",
    "Entry",
    "FolderSize",
    "KeystoreError",
    "KitSaved",
    "NotInitialised",
    "NotLoggedIn",
    "PasswordChanged",
    "PasswordRefused",
    "RestoreItem",
    "RestoreOutcome",
    "RestoreSession",
    "ServiceLacksFeature",
    "ServiceRefused",
    "Setup",
    "SignedIn",
    "Snapshot",
    "UpdateInfo",
    "Version",
    "_account_status",
    "folder_size",
    "pause_until_tomorrow",
]
