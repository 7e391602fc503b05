<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="en_US">
<context>
    <name>AboutTab</name>
    <message>
        <source>Keepsake {version}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check for updates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the log folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new language is used from the next start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh the report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version {version} is available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What is new: {notes}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Keepsake service has no update information.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepsake is up to date (version {version}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not check for updates. {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Account</name>
    <message>
        <source>Free</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pro</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlimited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payment is overdue: backup and restore are locked until it is paid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The subscription has ended: backup and restore are locked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active, paid until {date}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup and restore are locked since {date} because payment is overdue. Nothing is deleted while the subscription is only overdue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payment is due by {date}; backup and restore lock after that.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This free account expires on {date} unless a backup runs before then; its backups are deleted 30 days after it expires.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On {date} the Keepsake service found that part of your stored backup is damaged, and it could not repair it. Some files may not be restorable from the backup.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message from the Keepsake service: {message}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The subscription has ended: your backups will be deleted on {date} unless it is renewed before then.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This free account expired after a long time without backups: its backups will be deleted on {date}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This account was deleted at its owner&apos;s request on {date}; its backups are being deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup and restore are locked, and your backups are scheduled for deletion on {date}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your storage is nearly full.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your storage is full: new and changed files are not backed up.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Actions</name>
    <message>
        <source>Back up now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For 1 hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Until tomorrow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account &amp;&amp; subscription…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit Keepsake</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AsyncPage</name>
    <message>
        <source>One moment…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change your account password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is the password you sign in to your Keepsake account with. It does not change your recovery kit&apos;s passphrase. Every other PC signed in to your account is signed out and must sign in again with the new password; this PC stays signed in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new passwords are not the same.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password again:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The current password is wrong; your password was not changed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConsentsBox</name>
    <message>
        <source>What you agree to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send anonymous usage and crash reports to help improve Keepsake</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail me news about Keepsake</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved with your Keepsake account as soon as you change them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This choice is saved on this PC for now. {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This choice is saved on this PC.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DeleteAccountDialog</name>
    <message>
        <source>Delete my Keepsake account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DELETE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;This deletes every backup of every PC on this account.&lt;/b&gt; Backup stops at once, nothing can be restored any more, and all your data is removed from the service within 30 days. This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type {word} to confirm:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete my account and all backups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password is wrong; the account was not deleted.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <source>Restore finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These could not be restored:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These were left as they were:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) restored</source>
        <translation>
            <numerusform>%n file restored</numerusform>
            <numerusform>%n files restored</numerusform>
        </translation>
    </message>
    <message>
        <source>into {folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to their original place</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rest was not restored because you cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <source>Set up Keepsake</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FoldersPage</name>
    <message>
        <source>What should Keepsake protect?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticked folders are backed up continuously, with everything inside them. You can change this later in Settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System files, caches and temporary files inside these folders are skipped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>counting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>more than {size}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Selected: {size}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a folder to protect</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FoldersTab</name>
    <message>
        <source>Add a folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop protecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A folder you stop protecting is no longer backed up; its versions stay restorable for the retention period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protected folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skip system files, caches and temporary files (recommended)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One pattern per line, e.g. *.iso or node_modules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Left out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also skip:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skip files larger than:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a folder to protect</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Use a recovery kit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This PC will switch to the backup the kit belongs to. Backups made with the current key stay on the service until they age out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kit file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase or recovery code:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use this kit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the recovery kit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepsake recovery kit (*.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening the kit…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImportKitPage</name>
    <message>
        <source>Welcome back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your account already has backups. To reach them from this PC, open your recovery kit with its passphrase or your recovery code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use my recovery kit file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the copy stored on the Keepsake service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>passphrase, or a code like ABCDE-FGHIJ-…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I have neither: start a new, empty backup on this PC instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Without the kit and its passphrase or code, the existing backups cannot be opened by anyone. A new backup leaves them untouched.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kit file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase or recovery code:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the recovery kit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepsake recovery kit (*.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KeyDialog</name>
    <message>
        <source>Change the passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the recovery kit again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new recovery kit is written with the passphrase you choose now. Kits you saved before still open your backup with their old passphrase: destroy any copy you no longer trust.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a fresh copy of your recovery kit, for example onto a USB stick.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KitForm</name>
    <message>
        <source>Your files are encrypted on this PC with a key that only you hold. Keepsake cannot see it and cannot reset it. &lt;b&gt;If this PC is lost and you have neither the recovery kit nor its passphrase (or recovery code), your backed-up files are gone for good — nobody, not even Keepsake, can restore them.&lt;/b&gt; Keep the kit somewhere other than this PC: a USB stick, a printout in a drawer, your e-mail.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat it:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the kit to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save recovery kit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also keep an encrypted copy on the Keepsake service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The copy cannot be opened without your passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I have saved my recovery kit and I know its passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passphrases are not the same.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the recovery kit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepsake recovery kit (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved to {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An encrypted copy is stored on the Keepsake service.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your recovery code opens the kit too — write it down:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KitPage</name>
    <message>
        <source>Your key and recovery kit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepsake makes the key that encrypts your files here, on this PC. Choose a passphrase and save the recovery kit: it is your way back in if the PC is lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NetworkTab</name>
    <message>
        <source>no limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wait with uploads while on a metered connection (mobile data)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wait with uploads while running on battery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A limit keeps video calls and games smooth while a large backup runs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upload speed limit:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>Backup failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepsake could not finish the backup: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backups are locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Some files were not backed up</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) could not be backed up. Open Keepsake to see why.</source>
        <translation>
            <numerusform>%n item could not be backed up. Open Keepsake to see why.</numerusform>
            <numerusform>%n items could not be backed up. Open Keepsake to see why.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>No backup for %n day(s)</source>
        <translation>
            <numerusform>No backup for %n day</numerusform>
            <numerusform>No backup for %n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Your files have not been backed up for %n day(s). Open Keepsake to see what is wrong.</source>
        <translation>
            <numerusform>Your files have not been backed up for %n day. Open Keepsake to see what is wrong.</numerusform>
            <numerusform>Your files have not been backed up for %n days. Open Keepsake to see what is wrong.</numerusform>
        </translation>
    </message>
    <message>
        <source>Your Keepsake subscription</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore finished with problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) could not be restored. The restore window lists them and why.</source>
        <translation>
            <numerusform>%n file could not be restored. The restore window lists them and why.</numerusform>
            <numerusform>%n files could not be restored. The restore window lists them and why.</numerusform>
        </translation>
    </message>
    <message>
        <source>Restore stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The restore was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) were restored.</source>
        <translation>
            <numerusform>%n file were restored.</numerusform>
            <numerusform>%n files were restored.</numerusform>
        </translation>
    </message>
    <message>
        <source>Keepsake</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Passphrase</name>
    <message>
        <source>Too short — use at least {n} characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weak — add more words or characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fair</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Good</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Strong</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PrivacyTab</name>
    <message>
        <source>&lt;p&gt;&lt;b&gt;What the Keepsake service stores about you&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Your e-mail address, your password in scrambled (hashed) form, your plan and payment state.&lt;/li&gt;&lt;li&gt;The names you gave your PCs, and when each last connected.&lt;/li&gt;&lt;li&gt;Your backups as encrypted blocks, and how much space they take. The service cannot see file names, folder names or what is inside your files.&lt;/li&gt;&lt;li&gt;If you chose so: an encrypted copy of your recovery kit, which cannot be opened without your passphrase.&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;Keepsake sends no usage statistics and no e-mail news unless you allow it below.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export my data…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete my account…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export my data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your data was saved to {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your account is deleted. All your backups are removed from the service within 30 days.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProgressPage</name>
    <message>
        <source>Restoring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your files are coming back. You can keep using your PC.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{done} of {total} files, {bytes_done} of {bytes_total}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Reasons</name>
    <message>
        <source>Keepsake&apos;s own data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Office lock file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LibreOffice lock file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>editor lock file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>temporary file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>editor swap file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unfinished download</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Windows thumbnail cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>macOS folder view settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>macOS resource fork copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cache folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>thumbnail cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>downloaded program packages (can be fetched again)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>trash folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>recycle bin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>system folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a regular file, folder or link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>still being written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>backed up once it settles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it already exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>left as it is</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it kept changing while being read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it disappeared before it could be read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it is no longer a regular file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its name cannot be stored (invalid characters)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its target cannot be stored (invalid characters)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a folder is in the way</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a folder with that name is in the way</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a symlink is in the way</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not backed up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kept the previous version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>matches your exclusion pattern {pattern}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>larger than the {size} MB size limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot examine it: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot list the folder: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot open the folder: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not restored: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the backed-up data is damaged or missing ({detail})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the link: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password must be at least {n} characters long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password may be at most {n} characters long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That password is one of the most commonly used ones and easy to guess; choose another (a few unrelated words make a good one).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RenameDeviceDialog</name>
    <message>
        <source>Rename this PC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name your Keepsake account shows for this PC, so you can tell your PCs apart.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReportView</name>
    <message>
        <source>Item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No backup has finished since Keepsake started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last backup {when}: {new} new, {changed} changed and {same} unchanged files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backed up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing: the folder is not there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>protected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Left out on purpose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not be read (tried again later)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reason} (since {when})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RestoreOfferPage</name>
    <message>
        <source>Your backups are here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore all my files to this PC now (from the newest backup)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You can also pick single files or older versions at any time with “Restore files…” in the Keepsake menu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The recovery kit opened your backup: %n backup(s) can be restored.</source>
        <translation>
            <numerusform>The recovery kit opened your backup: %n backup can be restored.</numerusform>
            <numerusform>The recovery kit opened your backup: %n backups can be restored.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RestoreTree</name>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Modified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The version from {when} will be restored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted: it is in older backups but not in this one.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RestoreWizard</name>
    <message>
        <source>Restore files</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScheduleTab</name>
    <message>
        <source>Back up changes continuously, within moments of saving a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Once a day Keepsake also checks every protected file, so nothing is missed. If the PC is off at that time, the check runs when it is next on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Daily check at:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start Keepsake when I sign in</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SecurityTab</name>
    <message>
        <source>Your files are encrypted on this PC before they leave it. The key lives in this PC&apos;s keychain and in your recovery kit — nowhere else. Keep a current kit somewhere safe.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the recovery kit again…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the passphrase…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use a recovery kit from another PC…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign this PC out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change account password…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recovery kit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your Keepsake account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This PC</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Your account password is changed. %n other PC(s) were signed out and must sign in with the new password.</source>
        <translation>
            <numerusform>Your account password is changed. %n other PC was signed out and must sign in with the new password.</numerusform>
            <numerusform>Your account password is changed. %n other PCs were signed out and must sign in with the new password.</numerusform>
        </translation>
    </message>
    <message>
        <source>Your account password is changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The kit opened a backup with %n snapshot(s).</source>
        <translation>
            <numerusform>The kit opened a backup with %n snapshot.</numerusform>
            <numerusform>The kit opened a backup with %n snapshots.</numerusform>
        </translation>
    </message>
    <message>
        <source>This PC is signed out; backups stopped. Start Keepsake again to sign in.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsWindow</name>
    <message>
        <source>Keepsake settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Security</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Privacy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>Welcome to Keepsake</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepsake keeps a safe, encrypted copy of your files and lets you bring back any file as it was on any day of the last 30 days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I am new to Keepsake: create my account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I already have a Keepsake account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>you@example.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This PC is signed in as {email}. Press Next to continue, or type another account&apos;s password to switch.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusWindow</name>
    <message>
        <source>Keepsake</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SubscriptionPanel</name>
    <message>
        <source>Rename this PC…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking the Keepsake service…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open my account page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Storage:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PCs:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paid until:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Versions kept:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepsake {plan}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{used} of {quota} used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{used} used (no limit)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(this PC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{used} of {allowed}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not applicable</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <source>All set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in as &lt;b&gt;{email}&lt;/b&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recovery kit saved to {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your key was restored from the recovery kit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protected folders:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your files will be restored from the newest backup first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first backup starts when you press Finish. After that Keepsake works quietly in the background: look for its icon next to the clock.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start the first backup</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VersionsDialog</name>
    <message>
        <source>Versions of {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking up versions…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backed up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use this version</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n version(s) can be restored.</source>
        <translation>
            <numerusform>%n version can be restored.</numerusform>
            <numerusform>%n versions can be restored.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WhatPage</name>
    <message>
        <source>What?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tick the files and folders to bring back. Open a folder to see inside it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search by name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show deleted files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Versions…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n match(es).</source>
        <translation>
            <numerusform>%n match.</numerusform>
            <numerusform>%n matches.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) chosen.</source>
        <translation>
            <numerusform>%n item chosen.</numerusform>
            <numerusform>%n items chosen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing chosen yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WhenPage</name>
    <message>
        <source>When?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick the moment to go back to. Days with a backup are marked; the newest backup is chosen for you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Newest backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking up your backups…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backups that day:</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n backup(s) from the last {days} days can be restored.</source>
        <translation>
            <numerusform>%n backup from the last {days} days can be restored.</numerusform>
            <numerusform>%n backups from the last {days} days can be restored.</numerusform>
        </translation>
    </message>
    <message>
        <source>There are no backups to restore from yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{time} — from {device}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As it was then (backup of {when})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WherePage</name>
    <message>
        <source>Where?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose where the files go and what to do with files already there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To their original place</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Into another folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restored files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep both: the restored file gets “(restored&#xa0;date)” added to its name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace the file that is there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave the file that is there, skip the restored one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When a file already exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) will be restored.</source>
        <translation>
            <numerusform>%n item will be restored.</numerusform>
            <numerusform>%n items will be restored.</numerusform>
        </translation>
    </message>
    <message>
        <source>Restore into</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Wording</name>
    <message>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused — backups resume when you choose Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused until {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline — Keepsake will back up when the service can be reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepsake tries again {when}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs attention — the last backup failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs attention — protection stopped after an unexpected error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit Keepsake and start it again; the log folder (Settings, About) tells what happened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>protection stopped after an unexpected error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the last backup failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not backed up yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first backup starts as soon as it can.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Needs attention — no backup for %n day(s)</source>
        <translation>
            <numerusform>Needs attention — no backup for %n day</numerusform>
            <numerusform>Needs attention — no backup for %n days</numerusform>
        </translation>
    </message>
    <message>
        <source>Protected — last backup {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) could not be backed up.</source>
        <translation>
            <numerusform>%n item could not be backed up.</numerusform>
            <numerusform>%n items could not be backed up.</numerusform>
        </translation>
    </message>
    <message>
        <source>Looking for changes…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backing up — {percent}% done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{done} of {total} files, {bytes_done} of {bytes_total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>about {time} left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No backup has finished yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last backup {when}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>payment is overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the free account expired after a long time without backups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the subscription has ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the account is being deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>of the subscription&apos;s state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locked — backup and restore are paused because {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locked since {date} — backup and restore are paused because {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>just now</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) ago</source>
        <translation>
            <numerusform>%n minute ago</numerusform>
            <numerusform>%n minutes ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) ago</source>
        <translation>
            <numerusform>%n hour ago</numerusform>
            <numerusform>%n hours ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>%n day ago</numerusform>
            <numerusform>%n days ago</numerusform>
        </translation>
    </message>
    <message>
        <source>Keepsake could not do that: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This PC is not signed in to a Keepsake account. Sign in, then try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepsake is not set up on this PC yet: finish setting it up, or use the recovery kit of your backup.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key to your backup is not on this PC: finish setting up Keepsake, or use your recovery kit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The current password is wrong; your password was not changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service did not accept the new password ({detail}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Keepsake service cannot do this yet: it is older than this app.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This account is already in use on as many PCs as its plan allows. Sign out of Keepsake on a PC you no longer use, or choose a plan with more PCs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepsake could not use this PC&apos;s keychain, where it keeps your sign-in and the key to your backup ({detail}). If the keychain is locked, unlock it and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepsake could not check or change whether it starts when you sign in ({detail}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another Keepsake program on this PC is already backing up these folders (the Keepsake app, keepsake agent or keepsake backup). Quit it, or try again when it has finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That is not a recovery code: a recovery code has {length} letters and digits (2–7), like {example}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The recovery kit could not be read ({detail}). Check that you chose the right file, or look for typing mistakes if you typed it in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For safety, nothing was written to {name} ({reason}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The list of backups from the Keepsake service does not match what this PC saw before, so Keepsake does not use it ({detail}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepsake could not find that ({detail}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Part of your stored backup is missing on the Keepsake service ({detail}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This backup was not saved: part of its data had not reached the Keepsake service, or had expired there. The next backup tries again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This backup was not saved: the Keepsake service did not accept it ({detail}). The next backup tries again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Keepsake service did not accept that ({detail}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That could not be done ({detail}); trying the same again will not help.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keepsake had a problem with the place where your backup is stored ({detail}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This PC reported a problem: {reason}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There was a problem with {name}: {reason}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n hour</numerusform>
            <numerusform>%n hours</numerusform>
        </translation>
    </message>
    <message>
        <source>tomorrow {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That passphrase or recovery code does not open this recovery kit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service did not accept the e-mail address and password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your storage is full: {used} of {allowed} used.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Keepsake service could not be reached ({detail}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Damaged data was found and not used: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something unexpected went wrong: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
