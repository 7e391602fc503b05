<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="da_DK" sourcelanguage="en_US">
<context>
    <name>AboutTab</name>
    <message>
        <source>Keepsake {version}</source>
        <translation>Keepsake {version}</translation>
    </message>
    <message>
        <source>Check for updates</source>
        <translation>Søg efter opdateringer</translation>
    </message>
    <message>
        <source>Open the log folder</source>
        <translation>Åbn logmappen</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Følg systemet</translation>
    </message>
    <message>
        <source>A new language is used from the next start.</source>
        <translation>Et nyt sprog bruges fra næste start.</translation>
    </message>
    <message>
        <source>Refresh the report</source>
        <translation>Opdatér rapporten</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Sprog:</translation>
    </message>
    <message>
        <source>Backup report</source>
        <translation>Backuprapport</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Undersøger…</translation>
    </message>
    <message>
        <source>Version {version} is available.</source>
        <translation>Version {version} er tilgængelig.</translation>
    </message>
    <message>
        <source>Download it</source>
        <translation>Hent den</translation>
    </message>
    <message>
        <source>What is new: {notes}</source>
        <translation>Nyt i denne version: {notes}</translation>
    </message>
    <message>
        <source>The Keepsake service has no update information.</source>
        <translation>Keepsake-tjenesten har ingen oplysninger om opdateringer.</translation>
    </message>
    <message>
        <source>Keepsake is up to date (version {version}).</source>
        <translation>Keepsake er opdateret (version {version}).</translation>
    </message>
    <message>
        <source>Could not check for updates. {reason}</source>
        <translation>Kunne ikke søge efter opdateringer. {reason}</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Indlæser…</translation>
    </message>
</context>
<context>
    <name>Account</name>
    <message>
        <source>Free</source>
        <translation>Gratis</translation>
    </message>
    <message>
        <source>Pro</source>
        <translation>Pro</translation>
    </message>
    <message>
        <source>Unlimited</source>
        <translation>Ubegrænset</translation>
    </message>
    <message>
        <source>Payment is overdue: backup and restore are locked until it is paid.</source>
        <translation>Betalingen er forfalden: backup og gendannelse er låst, indtil der er betalt.</translation>
    </message>
    <message>
        <source>The subscription has ended: backup and restore are locked.</source>
        <translation>Abonnementet er ophørt: backup og gendannelse er låst.</translation>
    </message>
    <message>
        <source>Active, paid until {date}.</source>
        <translation>Aktivt, betalt til og med {date}.</translation>
    </message>
    <message>
        <source>Active.</source>
        <translation>Aktivt.</translation>
    </message>
    <message>
        <source>Backup and restore are locked since {date} because payment is overdue. Nothing is deleted while the subscription is only overdue.</source>
        <translation>Backup og gendannelse har været låst siden {date}, fordi betalingen er forfalden. Intet bliver slettet, så længe abonnementet kun er forfaldent.</translation>
    </message>
    <message>
        <source>Payment is due by {date}; backup and restore lock after that.</source>
        <translation>Betalingen forfalder {date}; derefter låses backup og gendannelse.</translation>
    </message>
    <message>
        <source>This free account expires on {date} unless a backup runs before then; its backups are deleted 30 days after it expires.</source>
        <translation>Denne gratis konto udløber {date}, medmindre der tages en backup inden da; dens backups slettes 30 dage efter, at den er udløbet.</translation>
    </message>
    <message>
        <source>On {date} the Keepsake service found that part of your stored backup is damaged, and it could not repair it. Some files may not be restorable from the backup.</source>
        <translation>Den {date} opdagede Keepsake-tjenesten, at en del af din gemte backup er beskadiget, og den kunne ikke reparere den. Nogle filer kan muligvis ikke gendannes fra backuppen.</translation>
    </message>
    <message>
        <source>Message from the Keepsake service: {message}</source>
        <translation>Besked fra Keepsake-tjenesten: {message}</translation>
    </message>
    <message>
        <source>The subscription has ended: your backups will be deleted on {date} unless it is renewed before then.</source>
        <translation>Abonnementet er ophørt: dine backups bliver slettet {date}, medmindre det fornyes inden da.</translation>
    </message>
    <message>
        <source>This free account expired after a long time without backups: its backups will be deleted on {date}.</source>
        <translation>Denne gratis konto er udløbet efter lang tid uden backup: dens backups bliver slettet {date}.</translation>
    </message>
    <message>
        <source>This account was deleted at its owner&apos;s request on {date}; its backups are being deleted.</source>
        <translation>Denne konto blev slettet {date} på ejerens anmodning; dens backups er ved at blive slettet.</translation>
    </message>
    <message>
        <source>Backup and restore are locked, and your backups are scheduled for deletion on {date}.</source>
        <translation>Backup og gendannelse er låst, og dine backups er planlagt til at blive slettet {date}.</translation>
    </message>
    <message>
        <source>Your storage is nearly full.</source>
        <translation>Din lagerplads er næsten brugt op.</translation>
    </message>
    <message>
        <source>Your storage is full: new and changed files are not backed up.</source>
        <translation>Din lagerplads er fuld: nye og ændrede filer bliver ikke sikkerhedskopieret.</translation>
    </message>
</context>
<context>
    <name>Actions</name>
    <message>
        <source>Back up now</source>
        <translation>Tag backup nu</translation>
    </message>
    <message>
        <source>For 1 hour</source>
        <translation>I 1 time</translation>
    </message>
    <message>
        <source>Until tomorrow</source>
        <translation>Til i morgen</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsæt</translation>
    </message>
    <message>
        <source>Restore files…</source>
        <translation>Gendan filer…</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Indstillinger…</translation>
    </message>
    <message>
        <source>Account &amp;&amp; subscription…</source>
        <translation>Konto &amp;&amp; abonnement…</translation>
    </message>
    <message>
        <source>Show status</source>
        <translation>Vis status</translation>
    </message>
    <message>
        <source>Quit Keepsake</source>
        <translation>Afslut Keepsake</translation>
    </message>
</context>
<context>
    <name>AsyncPage</name>
    <message>
        <source>One moment…</source>
        <translation>Et øjeblik…</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change your account password</source>
        <translation>Skift adgangskoden til din konto</translation>
    </message>
    <message>
        <source>This is the password you sign in to your Keepsake account with. It does not change your recovery kit&apos;s passphrase. Every other PC signed in to your account is signed out and must sign in again with the new password; this PC stays signed in.</source>
        <translation>Det er den adgangskode, du logger ind på din Keepsake-konto med. Den ændrer ikke adgangssætningen til dit gendannelsessæt. Alle andre pc&apos;er, der er logget ind på din konto, bliver logget ud og skal logge ind igen med den nye adgangskode; denne pc forbliver logget ind.</translation>
    </message>
    <message>
        <source>The new passwords are not the same.</source>
        <translation>De to nye adgangskoder er ikke ens.</translation>
    </message>
    <message>
        <source>Current password:</source>
        <translation>Nuværende adgangskode:</translation>
    </message>
    <message>
        <source>New password:</source>
        <translation>Ny adgangskode:</translation>
    </message>
    <message>
        <source>New password again:</source>
        <translation>Ny adgangskode igen:</translation>
    </message>
    <message>
        <source>Change password</source>
        <translation>Skift adgangskode</translation>
    </message>
    <message>
        <source>The current password is wrong; your password was not changed.</source>
        <translation>Den nuværende adgangskode er forkert; din adgangskode blev ikke ændret.</translation>
    </message>
</context>
<context>
    <name>ConsentsBox</name>
    <message>
        <source>What you agree to</source>
        <translation>Det giver du samtykke til</translation>
    </message>
    <message>
        <source>Send anonymous usage and crash reports to help improve Keepsake</source>
        <translation>Send anonyme brugs- og nedbrudsrapporter for at hjælpe med at forbedre Keepsake</translation>
    </message>
    <message>
        <source>E-mail me news about Keepsake</source>
        <translation>Send mig nyheder om Keepsake på e-mail</translation>
    </message>
    <message>
        <source>Saved with your Keepsake account as soon as you change them.</source>
        <translation>Gemmes på din Keepsake-konto, så snart du ændrer dem.</translation>
    </message>
    <message>
        <source>This choice is saved on this PC for now. {reason}</source>
        <translation>Dette valg gemmes indtil videre på denne pc. {reason}</translation>
    </message>
    <message>
        <source>This choice is saved on this PC.</source>
        <translation>Dette valg gemmes på denne pc.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Gemmer…</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Gemt.</translation>
    </message>
    <message>
        <source>Not saved: {reason}</source>
        <translation>Ikke gemt: {reason}</translation>
    </message>
</context>
<context>
    <name>DeleteAccountDialog</name>
    <message>
        <source>Delete my Keepsake account</source>
        <translation>Slet min Keepsake-konto</translation>
    </message>
    <message>
        <source>DELETE</source>
        <translation>SLET</translation>
    </message>
    <message>
        <source>&lt;b&gt;This deletes every backup of every PC on this account.&lt;/b&gt; Backup stops at once, nothing can be restored any more, and all your data is removed from the service within 30 days. This cannot be undone.</source>
        <translation>&lt;b&gt;Dette sletter alle backups fra alle pc&apos;er på denne konto.&lt;/b&gt; Backup stopper med det samme, intet kan gendannes længere, og alle dine data fjernes fra tjenesten inden for 30 dage. Det kan ikke fortrydes.</translation>
    </message>
    <message>
        <source>Your password:</source>
        <translation>Din adgangskode:</translation>
    </message>
    <message>
        <source>Type {word} to confirm:</source>
        <translation>Skriv {word} for at bekræfte:</translation>
    </message>
    <message>
        <source>Delete my account and all backups</source>
        <translation>Slet min konto og alle backups</translation>
    </message>
    <message>
        <source>The password is wrong; the account was not deleted.</source>
        <translation>Adgangskoden er forkert; kontoen blev ikke slettet.</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <source>Restore finished</source>
        <translation>Gendannelsen er færdig</translation>
    </message>
    <message>
        <source>These could not be restored:</source>
        <translation>Disse kunne ikke gendannes:</translation>
    </message>
    <message>
        <source>These were left as they were:</source>
        <translation>Disse blev ladt, som de var:</translation>
    </message>
    <message>
        <source>Open the folder</source>
        <translation>Åbn mappen</translation>
    </message>
    <message>
        <source>Restore cancelled</source>
        <translation>Gendannelsen blev annulleret</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) restored</source>
        <translation>
            <numerusform>%n fil gendannet</numerusform>
            <numerusform>%n filer gendannet</numerusform>
        </translation>
    </message>
    <message>
        <source>into {folder}</source>
        <translation>i {folder}</translation>
    </message>
    <message>
        <source>to their original place</source>
        <translation>til deres oprindelige sted</translation>
    </message>
    <message>
        <source>The rest was not restored because you cancelled.</source>
        <translation>Resten blev ikke gendannet, fordi du annullerede.</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <source>Set up Keepsake</source>
        <translation>Opsæt Keepsake</translation>
    </message>
</context>
<context>
    <name>FoldersPage</name>
    <message>
        <source>What should Keepsake protect?</source>
        <translation>Hvad skal Keepsake beskytte?</translation>
    </message>
    <message>
        <source>Ticked folders are backed up continuously, with everything inside them. You can change this later in Settings.</source>
        <translation>Der tages løbende backup af de afkrydsede mapper og alt i dem. Du kan ændre det senere under Indstillinger.</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Mappe</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Størrelse</translation>
    </message>
    <message>
        <source>Add a folder…</source>
        <translation>Tilføj en mappe…</translation>
    </message>
    <message>
        <source>System files, caches and temporary files inside these folders are skipped.</source>
        <translation>Systemfiler, cachefiler og midlertidige filer i disse mapper springes over.</translation>
    </message>
    <message>
        <source>counting…</source>
        <translation>tæller…</translation>
    </message>
    <message>
        <source>more than {size}</source>
        <translation>mere end {size}</translation>
    </message>
    <message>
        <source>Selected: {size}</source>
        <translation>Valgt: {size}</translation>
    </message>
    <message>
        <source>Choose a folder to protect</source>
        <translation>Vælg en mappe, der skal beskyttes</translation>
    </message>
</context>
<context>
    <name>FoldersTab</name>
    <message>
        <source>Add a folder…</source>
        <translation>Tilføj en mappe…</translation>
    </message>
    <message>
        <source>Stop protecting</source>
        <translation>Stop beskyttelsen</translation>
    </message>
    <message>
        <source>A folder you stop protecting is no longer backed up; its versions stay restorable for the retention period.</source>
        <translation>Der tages ikke længere backup af en mappe, du holder op med at beskytte; dens versioner kan stadig gendannes i opbevaringsperioden.</translation>
    </message>
    <message>
        <source>Protected folders</source>
        <translation>Beskyttede mapper</translation>
    </message>
    <message>
        <source>Skip system files, caches and temporary files (recommended)</source>
        <translation>Spring systemfiler, cachefiler og midlertidige filer over (anbefales)</translation>
    </message>
    <message>
        <source>One pattern per line, e.g. *.iso or node_modules</source>
        <translation>Ét mønster pr. linje, f.eks. *.iso eller node_modules</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>ingen grænse</translation>
    </message>
    <message>
        <source>Left out</source>
        <translation>Udeladt</translation>
    </message>
    <message>
        <source>Also skip:</source>
        <translation>Spring også over:</translation>
    </message>
    <message>
        <source>Skip files larger than:</source>
        <translation>Spring filer over, der er større end:</translation>
    </message>
    <message>
        <source>Choose a folder to protect</source>
        <translation>Vælg en mappe, der skal beskyttes</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Use a recovery kit</source>
        <translation>Brug et gendannelsessæt</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Gennemse…</translation>
    </message>
    <message>
        <source>This PC will switch to the backup the kit belongs to. Backups made with the current key stay on the service until they age out.</source>
        <translation>Denne pc skifter til den backup, sættet hører til. Backups taget med den nuværende nøgle bliver på tjenesten, indtil de udløber.</translation>
    </message>
    <message>
        <source>Kit file:</source>
        <translation>Sætfil:</translation>
    </message>
    <message>
        <source>Passphrase or recovery code:</source>
        <translation>Adgangssætning eller gendannelseskode:</translation>
    </message>
    <message>
        <source>Use this kit</source>
        <translation>Brug dette sæt</translation>
    </message>
    <message>
        <source>Open the recovery kit</source>
        <translation>Åbn gendannelsessættet</translation>
    </message>
    <message>
        <source>Keepsake recovery kit (*.json);;All files (*)</source>
        <translation>Keepsake-gendannelsessæt (*.json);;Alle filer (*)</translation>
    </message>
    <message>
        <source>Opening the kit…</source>
        <translation>Åbner sættet…</translation>
    </message>
</context>
<context>
    <name>ImportKitPage</name>
    <message>
        <source>Welcome back</source>
        <translation>Velkommen tilbage</translation>
    </message>
    <message>
        <source>Your account already has backups. To reach them from this PC, open your recovery kit with its passphrase or your recovery code.</source>
        <translation>Din konto har allerede backups. For at nå dem fra denne pc skal du åbne dit gendannelsessæt med dets adgangssætning eller din gendannelseskode.</translation>
    </message>
    <message>
        <source>Use my recovery kit file</source>
        <translation>Brug min gendannelsessæt-fil</translation>
    </message>
    <message>
        <source>Use the copy stored on the Keepsake service</source>
        <translation>Brug kopien, der er gemt hos Keepsake-tjenesten</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Gennemse…</translation>
    </message>
    <message>
        <source>passphrase, or a code like ABCDE-FGHIJ-…</source>
        <translation>adgangssætning eller en kode som ABCDE-FGHIJ-…</translation>
    </message>
    <message>
        <source>I have neither: start a new, empty backup on this PC instead</source>
        <translation>Jeg har ingen af delene: start i stedet en ny, tom backup på denne pc</translation>
    </message>
    <message>
        <source>Without the kit and its passphrase or code, the existing backups cannot be opened by anyone. A new backup leaves them untouched.</source>
        <translation>Uden sættet og dets adgangssætning eller kode kan ingen åbne de eksisterende backups. En ny backup lader dem være urørt.</translation>
    </message>
    <message>
        <source>Kit file:</source>
        <translation>Sætfil:</translation>
    </message>
    <message>
        <source>Passphrase or recovery code:</source>
        <translation>Adgangssætning eller gendannelseskode:</translation>
    </message>
    <message>
        <source>Open the recovery kit</source>
        <translation>Åbn gendannelsessættet</translation>
    </message>
    <message>
        <source>Keepsake recovery kit (*.json);;All files (*)</source>
        <translation>Keepsake-gendannelsessæt (*.json);;Alle filer (*)</translation>
    </message>
</context>
<context>
    <name>KeyDialog</name>
    <message>
        <source>Change the passphrase</source>
        <translation>Skift adgangssætningen</translation>
    </message>
    <message>
        <source>Save the recovery kit again</source>
        <translation>Gem gendannelsessættet igen</translation>
    </message>
    <message>
        <source>A new recovery kit is written with the passphrase you choose now. Kits you saved before still open your backup with their old passphrase: destroy any copy you no longer trust.</source>
        <translation>Der skrives et nyt gendannelsessæt med den adgangssætning, du vælger nu. Sæt, du har gemt før, åbner stadig din backup med deres gamle adgangssætning: tilintetgør de kopier, du ikke længere stoler på.</translation>
    </message>
    <message>
        <source>Write a fresh copy of your recovery kit, for example onto a USB stick.</source>
        <translation>Skriv en ny kopi af dit gendannelsessæt, for eksempel på et USB-stik.</translation>
    </message>
</context>
<context>
    <name>KitForm</name>
    <message>
        <source>Your files are encrypted on this PC with a key that only you hold. Keepsake cannot see it and cannot reset it. &lt;b&gt;If this PC is lost and you have neither the recovery kit nor its passphrase (or recovery code), your backed-up files are gone for good — nobody, not even Keepsake, can restore them.&lt;/b&gt; Keep the kit somewhere other than this PC: a USB stick, a printout in a drawer, your e-mail.</source>
        <translation>Dine filer krypteres på denne pc med en nøgle, som kun du har. Keepsake kan ikke se den og kan ikke nulstille den. &lt;b&gt;Hvis denne pc går tabt, og du hverken har gendannelsessættet eller dets adgangssætning (eller gendannelseskode), er dine sikkerhedskopierede filer væk for altid — ingen, heller ikke Keepsake, kan gendanne dem.&lt;/b&gt; Opbevar sættet et andet sted end på denne pc: på et USB-stik, som udskrift i en skuffe eller i din e-mail.</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Gennemse…</translation>
    </message>
    <message>
        <source>Passphrase:</source>
        <translation>Adgangssætning:</translation>
    </message>
    <message>
        <source>Repeat it:</source>
        <translation>Gentag den:</translation>
    </message>
    <message>
        <source>Save the kit to:</source>
        <translation>Gem sættet i:</translation>
    </message>
    <message>
        <source>Save recovery kit</source>
        <translation>Gem gendannelsessæt</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>Udskriv…</translation>
    </message>
    <message>
        <source>Also keep an encrypted copy on the Keepsake service</source>
        <translation>Gem også en krypteret kopi hos Keepsake-tjenesten</translation>
    </message>
    <message>
        <source>The copy cannot be opened without your passphrase.</source>
        <translation>Kopien kan ikke åbnes uden din adgangssætning.</translation>
    </message>
    <message>
        <source>I have saved my recovery kit and I know its passphrase</source>
        <translation>Jeg har gemt mit gendannelsessæt og kender dets adgangssætning</translation>
    </message>
    <message>
        <source>The two passphrases are not the same.</source>
        <translation>De to adgangssætninger er ikke ens.</translation>
    </message>
    <message>
        <source>Save the recovery kit</source>
        <translation>Gem gendannelsessættet</translation>
    </message>
    <message>
        <source>Keepsake recovery kit (*.json)</source>
        <translation>Keepsake-gendannelsessæt (*.json)</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Gemmer…</translation>
    </message>
    <message>
        <source>Save again</source>
        <translation>Gem igen</translation>
    </message>
    <message>
        <source>Saved to {path}.</source>
        <translation>Gemt i {path}.</translation>
    </message>
    <message>
        <source>An encrypted copy is stored on the Keepsake service.</source>
        <translation>En krypteret kopi er gemt hos Keepsake-tjenesten.</translation>
    </message>
    <message>
        <source>Your recovery code opens the kit too — write it down:</source>
        <translation>Din gendannelseskode åbner også sættet — skriv den ned:</translation>
    </message>
</context>
<context>
    <name>KitPage</name>
    <message>
        <source>Your key and recovery kit</source>
        <translation>Din nøgle og dit gendannelsessæt</translation>
    </message>
    <message>
        <source>Keepsake makes the key that encrypts your files here, on this PC. Choose a passphrase and save the recovery kit: it is your way back in if the PC is lost.</source>
        <translation>Keepsake laver nøglen, der krypterer dine filer, her på pc&apos;en. Vælg en adgangssætning, og gem gendannelsessættet: det er din vej tilbage, hvis pc&apos;en går tabt.</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Fortsæt</translation>
    </message>
</context>
<context>
    <name>NetworkTab</name>
    <message>
        <source>no limit</source>
        <translation>ingen grænse</translation>
    </message>
    <message>
        <source>Wait with uploads while on a metered connection (mobile data)</source>
        <translation>Vent med at uploade på en forbindelse med datamåling (mobildata)</translation>
    </message>
    <message>
        <source>Wait with uploads while running on battery</source>
        <translation>Vent med at uploade, mens pc&apos;en kører på batteri</translation>
    </message>
    <message>
        <source>A limit keeps video calls and games smooth while a large backup runs.</source>
        <translation>En grænse holder videoopkald og spil flydende, mens en stor backup kører.</translation>
    </message>
    <message>
        <source>Upload speed limit:</source>
        <translation>Grænse for uploadhastighed:</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>Backup failed</source>
        <translation>Backup mislykkedes</translation>
    </message>
    <message>
        <source>Keepsake could not finish the backup: {why}</source>
        <translation>Keepsake kunne ikke gøre backuppen færdig: {why}</translation>
    </message>
    <message>
        <source>Backups are locked</source>
        <translation>Backup er låst</translation>
    </message>
    <message>
        <source>Some files were not backed up</source>
        <translation>Nogle filer blev ikke taget backup af</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) could not be backed up. Open Keepsake to see why.</source>
        <translation>
            <numerusform>%n element kunne ikke tages backup af. Åbn Keepsake for at se hvorfor.</numerusform>
            <numerusform>%n elementer kunne ikke tages backup af. Åbn Keepsake for at se hvorfor.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>No backup for %n day(s)</source>
        <translation>
            <numerusform>Ingen backup i %n dag</numerusform>
            <numerusform>Ingen backup i %n dage</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Your files have not been backed up for %n day(s). Open Keepsake to see what is wrong.</source>
        <translation>
            <numerusform>Der er ikke taget backup af dine filer i %n dag. Åbn Keepsake for at se, hvad der er galt.</numerusform>
            <numerusform>Der er ikke taget backup af dine filer i %n dage. Åbn Keepsake for at se, hvad der er galt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Your Keepsake subscription</source>
        <translation>Dit Keepsake-abonnement</translation>
    </message>
    <message>
        <source>Restore finished with problems</source>
        <translation>Gendannelsen sluttede med problemer</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) could not be restored. The restore window lists them and why.</source>
        <translation>
            <numerusform>%n fil kunne ikke gendannes. Gendannelsesvinduet viser hvilken og hvorfor.</numerusform>
            <numerusform>%n filer kunne ikke gendannes. Gendannelsesvinduet viser hvilke og hvorfor.</numerusform>
        </translation>
    </message>
    <message>
        <source>Restore stopped</source>
        <translation>Gendannelsen blev stoppet</translation>
    </message>
    <message>
        <source>The restore was cancelled.</source>
        <translation>Gendannelsen blev annulleret.</translation>
    </message>
    <message>
        <source>Restore finished</source>
        <translation>Gendannelsen er færdig</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) were restored.</source>
        <translation>
            <numerusform>%n fil blev gendannet.</numerusform>
            <numerusform>%n filer blev gendannet.</numerusform>
        </translation>
    </message>
    <message>
        <source>Keepsake</source>
        <translation>Keepsake</translation>
    </message>
</context>
<context>
    <name>Passphrase</name>
    <message>
        <source>Too short — use at least {n} characters</source>
        <translation>For kort — brug mindst {n} tegn</translation>
    </message>
    <message>
        <source>Weak — add more words or characters</source>
        <translation>Svag — tilføj flere ord eller tegn</translation>
    </message>
    <message>
        <source>Fair</source>
        <translation>Nogenlunde</translation>
    </message>
    <message>
        <source>Good</source>
        <translation>God</translation>
    </message>
    <message>
        <source>Strong</source>
        <translation>Stærk</translation>
    </message>
</context>
<context>
    <name>PrivacyTab</name>
    <message>
        <source>&lt;p&gt;&lt;b&gt;What the Keepsake service stores about you&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Your e-mail address, your password in scrambled (hashed) form, your plan and payment state.&lt;/li&gt;&lt;li&gt;The names you gave your PCs, and when each last connected.&lt;/li&gt;&lt;li&gt;Your backups as encrypted blocks, and how much space they take. The service cannot see file names, folder names or what is inside your files.&lt;/li&gt;&lt;li&gt;If you chose so: an encrypted copy of your recovery kit, which cannot be opened without your passphrase.&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;Keepsake sends no usage statistics and no e-mail news unless you allow it below.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Det gemmer Keepsake-tjenesten om dig&lt;/b&gt;&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Din e-mailadresse, din adgangskode i krypteret (hashet) form, dit abonnement og din betalingsstatus.&lt;/li&gt;&lt;li&gt;De navne, du har givet dine pc&apos;er, og hvornår hver af dem sidst var forbundet.&lt;/li&gt;&lt;li&gt;Dine backups som krypterede blokke, og hvor meget plads de fylder. Tjenesten kan ikke se filnavne, mappenavne eller indholdet af dine filer.&lt;/li&gt;&lt;li&gt;Hvis du har valgt det: en krypteret kopi af dit gendannelsessæt, som ikke kan åbnes uden din adgangssætning.&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;Keepsake sender ingen brugsstatistik og ingen nyheder på e-mail, medmindre du tillader det nedenfor.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Export my data…</source>
        <translation>Eksportér mine data…</translation>
    </message>
    <message>
        <source>Delete my account…</source>
        <translation>Slet min konto…</translation>
    </message>
    <message>
        <source>Your data</source>
        <translation>Dine data</translation>
    </message>
    <message>
        <source>Export my data</source>
        <translation>Eksportér mine data</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON-filer (*.json)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Eksporterer…</translation>
    </message>
    <message>
        <source>Your data was saved to {path}.</source>
        <translation>Dine data blev gemt i {path}.</translation>
    </message>
    <message>
        <source>Your account is deleted. All your backups are removed from the service within 30 days.</source>
        <translation>Din konto er slettet. Alle dine backups fjernes fra tjenesten inden for 30 dage.</translation>
    </message>
</context>
<context>
    <name>ProgressPage</name>
    <message>
        <source>Restoring</source>
        <translation>Gendanner</translation>
    </message>
    <message>
        <source>Your files are coming back. You can keep using your PC.</source>
        <translation>Dine filer er på vej tilbage. Du kan bruge din pc imens.</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Starter…</translation>
    </message>
    <message>
        <source>Cancel restore</source>
        <translation>Annullér gendannelsen</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Fortsæt</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Stopper…</translation>
    </message>
    <message>
        <source>{done} of {total} files, {bytes_done} of {bytes_total}</source>
        <translation>{done} af {total} filer, {bytes_done} af {bytes_total}</translation>
    </message>
</context>
<context>
    <name>Reasons</name>
    <message>
        <source>Keepsake&apos;s own data folder</source>
        <translation>Keepsakes egen datamappe</translation>
    </message>
    <message>
        <source>Office lock file</source>
        <translation>Office-låsefil</translation>
    </message>
    <message>
        <source>LibreOffice lock file</source>
        <translation>LibreOffice-låsefil</translation>
    </message>
    <message>
        <source>editor lock file</source>
        <translation>låsefil fra et redigeringsprogram</translation>
    </message>
    <message>
        <source>temporary file</source>
        <translation>midlertidig fil</translation>
    </message>
    <message>
        <source>editor swap file</source>
        <translation>midlertidig fil fra et redigeringsprogram</translation>
    </message>
    <message>
        <source>unfinished download</source>
        <translation>ufærdig download</translation>
    </message>
    <message>
        <source>Windows thumbnail cache</source>
        <translation>Windows&apos; miniaturebilleder</translation>
    </message>
    <message>
        <source>macOS folder view settings</source>
        <translation>macOS&apos; mappevisning</translation>
    </message>
    <message>
        <source>macOS resource fork copy</source>
        <translation>macOS-ressourcekopi</translation>
    </message>
    <message>
        <source>cache folder</source>
        <translation>cachemappe</translation>
    </message>
    <message>
        <source>thumbnail cache</source>
        <translation>miniaturebilleder</translation>
    </message>
    <message>
        <source>downloaded program packages (can be fetched again)</source>
        <translation>downloadede programpakker (kan hentes igen)</translation>
    </message>
    <message>
        <source>trash folder</source>
        <translation>papirkurv</translation>
    </message>
    <message>
        <source>recycle bin</source>
        <translation>papirkurv</translation>
    </message>
    <message>
        <source>system folder</source>
        <translation>systemmappe</translation>
    </message>
    <message>
        <source>not a regular file, folder or link</source>
        <translation>hverken en almindelig fil, mappe eller genvej</translation>
    </message>
    <message>
        <source>still being written</source>
        <translation>bliver stadig skrevet</translation>
    </message>
    <message>
        <source>backed up once it settles</source>
        <translation>sikkerhedskopieres, når den er færdig</translation>
    </message>
    <message>
        <source>it already exists</source>
        <translation>den findes allerede</translation>
    </message>
    <message>
        <source>left as it is</source>
        <translation>blev ikke rørt</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>adgang nægtet</translation>
    </message>
    <message>
        <source>it kept changing while being read</source>
        <translation>den blev ved med at ændre sig, mens den blev læst</translation>
    </message>
    <message>
        <source>it disappeared before it could be read</source>
        <translation>den forsvandt, før den kunne læses</translation>
    </message>
    <message>
        <source>it is no longer a regular file</source>
        <translation>den er ikke længere en almindelig fil</translation>
    </message>
    <message>
        <source>its name cannot be stored (invalid characters)</source>
        <translation>navnet kan ikke gemmes (ugyldige tegn)</translation>
    </message>
    <message>
        <source>its target cannot be stored (invalid characters)</source>
        <translation>målet kan ikke gemmes (ugyldige tegn)</translation>
    </message>
    <message>
        <source>a folder is in the way</source>
        <translation>en mappe står i vejen</translation>
    </message>
    <message>
        <source>a folder with that name is in the way</source>
        <translation>en mappe med det navn står i vejen</translation>
    </message>
    <message>
        <source>a symlink is in the way</source>
        <translation>en genvej står i vejen</translation>
    </message>
    <message>
        <source>not backed up</source>
        <translation>ikke sikkerhedskopieret</translation>
    </message>
    <message>
        <source>kept the previous version</source>
        <translation>den forrige version er bevaret</translation>
    </message>
    <message>
        <source>matches your exclusion pattern {pattern}</source>
        <translation>passer med dit udeladelsesmønster {pattern}</translation>
    </message>
    <message>
        <source>larger than the {size} MB size limit</source>
        <translation>større end grænsen på {size} MB</translation>
    </message>
    <message>
        <source>cannot examine it: {why}</source>
        <translation>kan ikke undersøges: {why}</translation>
    </message>
    <message>
        <source>cannot list the folder: {why}</source>
        <translation>mappen kan ikke læses: {why}</translation>
    </message>
    <message>
        <source>cannot open the folder: {why}</source>
        <translation>mappen kan ikke åbnes: {why}</translation>
    </message>
    <message>
        <source>not restored: {why}</source>
        <translation>ikke gendannet: {why}</translation>
    </message>
    <message>
        <source>the backed-up data is damaged or missing ({detail})</source>
        <translation>de sikkerhedskopierede data er beskadigede eller mangler ({detail})</translation>
    </message>
    <message>
        <source>cannot read the link: {why}</source>
        <translation>genvejen kan ikke læses: {why}</translation>
    </message>
    <message>
        <source>The password must be at least {n} characters long.</source>
        <translation>Adgangskoden skal være mindst {n} tegn lang.</translation>
    </message>
    <message>
        <source>The password may be at most {n} characters long.</source>
        <translation>Adgangskoden må højst være {n} tegn lang.</translation>
    </message>
    <message>
        <source>That password is one of the most commonly used ones and easy to guess; choose another (a few unrelated words make a good one).</source>
        <translation>Den adgangskode er en af de mest brugte og let at gætte; vælg en anden (nogle få ord, der ikke hænger sammen, er en god adgangskode).</translation>
    </message>
</context>
<context>
    <name>RenameDeviceDialog</name>
    <message>
        <source>Rename this PC</source>
        <translation>Omdøb denne pc</translation>
    </message>
    <message>
        <source>The name your Keepsake account shows for this PC, so you can tell your PCs apart.</source>
        <translation>Det navn, din Keepsake-konto viser for denne pc, så du kan kende dine pc&apos;er fra hinanden.</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Omdøb</translation>
    </message>
</context>
<context>
    <name>ReportView</name>
    <message>
        <source>Item</source>
        <translation>Element</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Hvorfor</translation>
    </message>
    <message>
        <source>No backup has finished since Keepsake started.</source>
        <translation>Ingen backup er gjort færdig, siden Keepsake startede.</translation>
    </message>
    <message>
        <source>Last backup {when}: {new} new, {changed} changed and {same} unchanged files.</source>
        <translation>Seneste backup {when}: {new} nye, {changed} ændrede og {same} uændrede filer.</translation>
    </message>
    <message>
        <source>Backed up</source>
        <translation>Taget backup af</translation>
    </message>
    <message>
        <source>missing: the folder is not there</source>
        <translation>mangler: mappen findes ikke</translation>
    </message>
    <message>
        <source>protected</source>
        <translation>beskyttet</translation>
    </message>
    <message>
        <source>Left out on purpose</source>
        <translation>Udeladt med vilje</translation>
    </message>
    <message>
        <source>Could not be read (tried again later)</source>
        <translation>Kunne ikke læses (prøves igen senere)</translation>
    </message>
    <message>
        <source>{reason} (since {when})</source>
        <translation>{reason} (siden {when})</translation>
    </message>
</context>
<context>
    <name>RestoreOfferPage</name>
    <message>
        <source>Your backups are here</source>
        <translation>Dine backups er her</translation>
    </message>
    <message>
        <source>Restore all my files to this PC now (from the newest backup)</source>
        <translation>Gendan alle mine filer til denne pc nu (fra den nyeste backup)</translation>
    </message>
    <message>
        <source>You can also pick single files or older versions at any time with “Restore files…” in the Keepsake menu.</source>
        <translation>Du kan også når som helst vælge enkelte filer eller ældre versioner med »Gendan filer…« i Keepsake-menuen.</translation>
    </message>
    <message numerus="yes">
        <source>The recovery kit opened your backup: %n backup(s) can be restored.</source>
        <translation>
            <numerusform>Gendannelsessættet åbnede din backup: %n backup kan gendannes.</numerusform>
            <numerusform>Gendannelsessættet åbnede din backup: %n backups kan gendannes.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RestoreTree</name>
    <message>
        <source>Name</source>
        <translation>Navn</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Størrelse</translation>
    </message>
    <message>
        <source>Modified</source>
        <translation>Ændret</translation>
    </message>
    <message>
        <source>The version from {when} will be restored.</source>
        <translation>Versionen fra {when} bliver gendannet.</translation>
    </message>
    <message>
        <source>Deleted: it is in older backups but not in this one.</source>
        <translation>Slettet: den findes i ældre backups, men ikke i denne.</translation>
    </message>
</context>
<context>
    <name>RestoreWizard</name>
    <message>
        <source>Restore files</source>
        <translation>Gendan filer</translation>
    </message>
</context>
<context>
    <name>ScheduleTab</name>
    <message>
        <source>Back up changes continuously, within moments of saving a file</source>
        <translation>Tag løbende backup af ændringer, få øjeblikke efter at en fil er gemt</translation>
    </message>
    <message>
        <source>Once a day Keepsake also checks every protected file, so nothing is missed. If the PC is off at that time, the check runs when it is next on.</source>
        <translation>En gang om dagen gennemgår Keepsake også alle beskyttede filer, så intet bliver overset. Er pc&apos;en slukket på det tidspunkt, sker gennemgangen, næste gang den er tændt.</translation>
    </message>
    <message>
        <source>Daily check at:</source>
        <translation>Daglig gennemgang kl.:</translation>
    </message>
    <message>
        <source>Start Keepsake when I sign in</source>
        <translation>Start Keepsake, når jeg logger på</translation>
    </message>
</context>
<context>
    <name>SecurityTab</name>
    <message>
        <source>Your files are encrypted on this PC before they leave it. The key lives in this PC&apos;s keychain and in your recovery kit — nowhere else. Keep a current kit somewhere safe.</source>
        <translation>Dine filer krypteres på denne pc, før de forlader den. Nøglen findes i pc&apos;ens nøglering og i dit gendannelsessæt — ingen andre steder. Opbevar et opdateret sæt et sikkert sted.</translation>
    </message>
    <message>
        <source>Save the recovery kit again…</source>
        <translation>Gem gendannelsessættet igen…</translation>
    </message>
    <message>
        <source>Change the passphrase…</source>
        <translation>Skift adgangssætningen…</translation>
    </message>
    <message>
        <source>Use a recovery kit from another PC…</source>
        <translation>Brug et gendannelsessæt fra en anden pc…</translation>
    </message>
    <message>
        <source>Sign this PC out</source>
        <translation>Log denne pc ud</translation>
    </message>
    <message>
        <source>Change account password…</source>
        <translation>Skift adgangskode til kontoen…</translation>
    </message>
    <message>
        <source>Recovery kit</source>
        <translation>Gendannelsessæt</translation>
    </message>
    <message>
        <source>Your Keepsake account</source>
        <translation>Din Keepsake-konto</translation>
    </message>
    <message>
        <source>This PC</source>
        <translation>Denne pc</translation>
    </message>
    <message numerus="yes">
        <source>Your account password is changed. %n other PC(s) were signed out and must sign in with the new password.</source>
        <translation>
            <numerusform>Din adgangskode til kontoen er ændret. %n anden pc blev logget ud og skal logge ind med den nye adgangskode.</numerusform>
            <numerusform>Din adgangskode til kontoen er ændret. %n andre pc&apos;er blev logget ud og skal logge ind med den nye adgangskode.</numerusform>
        </translation>
    </message>
    <message>
        <source>Your account password is changed.</source>
        <translation>Din adgangskode til kontoen er ændret.</translation>
    </message>
    <message numerus="yes">
        <source>The kit opened a backup with %n snapshot(s).</source>
        <translation>
            <numerusform>Sættet åbnede en backup med %n øjebliksbillede.</numerusform>
            <numerusform>Sættet åbnede en backup med %n øjebliksbilleder.</numerusform>
        </translation>
    </message>
    <message>
        <source>This PC is signed out; backups stopped. Start Keepsake again to sign in.</source>
        <translation>Denne pc er logget ud; backup er stoppet. Start Keepsake igen for at logge ind.</translation>
    </message>
</context>
<context>
    <name>SettingsWindow</name>
    <message>
        <source>Keepsake settings</source>
        <translation>Keepsake-indstillinger</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>Mapper</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Tidsplan</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Netværk</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>Sikkerhed</translation>
    </message>
    <message>
        <source>Privacy</source>
        <translation>Privatliv</translation>
    </message>
    <message>
        <source>About</source>
        <translation>Om</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>Welcome to Keepsake</source>
        <translation>Velkommen til Keepsake</translation>
    </message>
    <message>
        <source>Keepsake keeps a safe, encrypted copy of your files and lets you bring back any file as it was on any day of the last 30 days.</source>
        <translation>Keepsake gemmer en sikker, krypteret kopi af dine filer og lader dig hente enhver fil tilbage, som den var på en hvilken som helst dag inden for de sidste 30 dage.</translation>
    </message>
    <message>
        <source>I am new to Keepsake: create my account</source>
        <translation>Jeg er ny i Keepsake: opret min konto</translation>
    </message>
    <message>
        <source>I already have a Keepsake account</source>
        <translation>Jeg har allerede en Keepsake-konto</translation>
    </message>
    <message>
        <source>you@example.com</source>
        <translation>dig@eksempel.dk</translation>
    </message>
    <message>
        <source>Repeat password:</source>
        <translation>Gentag adgangskoden:</translation>
    </message>
    <message>
        <source>E-mail:</source>
        <translation>E-mail:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Adgangskode:</translation>
    </message>
    <message>
        <source>Service address:</source>
        <translation>Tjenestens adresse:</translation>
    </message>
    <message>
        <source>This PC is signed in as {email}. Press Next to continue, or type another account&apos;s password to switch.</source>
        <translation>Denne pc er logget ind som {email}. Tryk på Næste for at fortsætte, eller skriv en anden kontos adgangskode for at skifte.</translation>
    </message>
</context>
<context>
    <name>StatusWindow</name>
    <message>
        <source>Keepsake</source>
        <translation>Keepsake</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
</context>
<context>
    <name>SubscriptionPanel</name>
    <message>
        <source>Rename this PC…</source>
        <translation>Omdøb denne pc…</translation>
    </message>
    <message>
        <source>Asking the Keepsake service…</source>
        <translation>Spørger Keepsake-tjenesten…</translation>
    </message>
    <message>
        <source>Open my account page</source>
        <translation>Åbn min kontoside</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Opdatér</translation>
    </message>
    <message>
        <source>Storage:</source>
        <translation>Lagerplads:</translation>
    </message>
    <message>
        <source>PCs:</source>
        <translation>Pc&apos;er:</translation>
    </message>
    <message>
        <source>Paid until:</source>
        <translation>Betalt til:</translation>
    </message>
    <message>
        <source>Versions kept:</source>
        <translation>Versioner gemmes i:</translation>
    </message>
    <message>
        <source>Keepsake {plan}</source>
        <translation>Keepsake {plan}</translation>
    </message>
    <message>
        <source>{used} of {quota} used</source>
        <translation>{used} af {quota} brugt</translation>
    </message>
    <message>
        <source>{used} used (no limit)</source>
        <translation>{used} brugt (ingen grænse)</translation>
    </message>
    <message>
        <source>(this PC)</source>
        <translation>(denne pc)</translation>
    </message>
    <message>
        <source>{used} of {allowed}</source>
        <translation>{used} af {allowed}</translation>
    </message>
    <message>
        <source>not applicable</source>
        <translation>ikke relevant</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n dag</numerusform>
            <numerusform>%n dage</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <source>All set</source>
        <translation>Alt er klar</translation>
    </message>
    <message>
        <source>Signed in as &lt;b&gt;{email}&lt;/b&gt;.</source>
        <translation>Logget ind som &lt;b&gt;{email}&lt;/b&gt;.</translation>
    </message>
    <message>
        <source>Recovery kit saved to {path}.</source>
        <translation>Gendannelsessættet er gemt i {path}.</translation>
    </message>
    <message>
        <source>Your key was restored from the recovery kit.</source>
        <translation>Din nøgle blev hentet fra gendannelsessættet.</translation>
    </message>
    <message>
        <source>Protected folders:</source>
        <translation>Beskyttede mapper:</translation>
    </message>
    <message>
        <source>Your files will be restored from the newest backup first.</source>
        <translation>Dine filer gendannes først fra den nyeste backup.</translation>
    </message>
    <message>
        <source>The first backup starts when you press Finish. After that Keepsake works quietly in the background: look for its icon next to the clock.</source>
        <translation>Den første backup starter, når du trykker på Udfør. Derefter arbejder Keepsake stille i baggrunden: kig efter ikonet ved siden af uret.</translation>
    </message>
    <message>
        <source>Start the first backup</source>
        <translation>Start den første backup</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
</context>
<context>
    <name>VersionsDialog</name>
    <message>
        <source>Versions of {name}</source>
        <translation>Versioner af {name}</translation>
    </message>
    <message>
        <source>Looking up versions…</source>
        <translation>Finder versioner…</translation>
    </message>
    <message>
        <source>Backed up</source>
        <translation>Taget backup</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>Ændret</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Størrelse</translation>
    </message>
    <message>
        <source>Use this version</source>
        <translation>Brug denne version</translation>
    </message>
    <message numerus="yes">
        <source>%n version(s) can be restored.</source>
        <translation>
            <numerusform>%n version kan gendannes.</numerusform>
            <numerusform>%n versioner kan gendannes.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WhatPage</name>
    <message>
        <source>What?</source>
        <translation>Hvad?</translation>
    </message>
    <message>
        <source>Tick the files and folders to bring back. Open a folder to see inside it.</source>
        <translation>Sæt flueben ved de filer og mapper, der skal hentes tilbage. Åbn en mappe for at se indholdet.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Navn</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Mappe</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Størrelse</translation>
    </message>
    <message>
        <source>Search by name</source>
        <translation>Søg efter navn</translation>
    </message>
    <message>
        <source>Show deleted files</source>
        <translation>Vis slettede filer</translation>
    </message>
    <message>
        <source>Versions…</source>
        <translation>Versioner…</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Indlæser…</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Søger…</translation>
    </message>
    <message numerus="yes">
        <source>%n match(es).</source>
        <translation>
            <numerusform>%n resultat.</numerusform>
            <numerusform>%n resultater.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) chosen.</source>
        <translation>
            <numerusform>%n element valgt.</numerusform>
            <numerusform>%n elementer valgt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing chosen yet.</source>
        <translation>Intet valgt endnu.</translation>
    </message>
</context>
<context>
    <name>WhenPage</name>
    <message>
        <source>When?</source>
        <translation>Hvornår?</translation>
    </message>
    <message>
        <source>Pick the moment to go back to. Days with a backup are marked; the newest backup is chosen for you.</source>
        <translation>Vælg det tidspunkt, du vil tilbage til. Dage med en backup er markeret; den nyeste backup er valgt for dig.</translation>
    </message>
    <message>
        <source>Newest backup</source>
        <translation>Nyeste backup</translation>
    </message>
    <message>
        <source>Looking up your backups…</source>
        <translation>Finder dine backups…</translation>
    </message>
    <message>
        <source>Backups that day:</source>
        <translation>Backups den dag:</translation>
    </message>
    <message numerus="yes">
        <source>%n backup(s) from the last {days} days can be restored.</source>
        <translation>
            <numerusform>%n backup fra de sidste {days} dage kan gendannes.</numerusform>
            <numerusform>%n backups fra de sidste {days} dage kan gendannes.</numerusform>
        </translation>
    </message>
    <message>
        <source>There are no backups to restore from yet.</source>
        <translation>Der er endnu ingen backups at gendanne fra.</translation>
    </message>
    <message>
        <source>{time} — from {device}</source>
        <translation>{time} — fra {device}</translation>
    </message>
    <message>
        <source>As it was then (backup of {when})</source>
        <translation>Som det var dengang (backup fra {when})</translation>
    </message>
</context>
<context>
    <name>WherePage</name>
    <message>
        <source>Where?</source>
        <translation>Hvor?</translation>
    </message>
    <message>
        <source>Choose where the files go and what to do with files already there.</source>
        <translation>Vælg, hvor filerne skal hen, og hvad der skal ske med filer, der allerede er der.</translation>
    </message>
    <message>
        <source>To their original place</source>
        <translation>Til deres oprindelige sted</translation>
    </message>
    <message>
        <source>Into another folder:</source>
        <translation>I en anden mappe:</translation>
    </message>
    <message>
        <source>Restored files</source>
        <translation>Gendannede filer</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Gennemse…</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Gendan</translation>
    </message>
    <message>
        <source>Keep both: the restored file gets “(restored&#xa0;date)” added to its name</source>
        <translation>Behold begge: den gendannede fil får »(restored&#xa0;dato)« tilføjet til navnet</translation>
    </message>
    <message>
        <source>Replace the file that is there</source>
        <translation>Erstat den fil, der er der</translation>
    </message>
    <message>
        <source>Leave the file that is there, skip the restored one</source>
        <translation>Behold den fil, der er der, og spring den gendannede over</translation>
    </message>
    <message>
        <source>When a file already exists</source>
        <translation>Når en fil allerede findes</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) will be restored.</source>
        <translation>
            <numerusform>%n element bliver gendannet.</numerusform>
            <numerusform>%n elementer bliver gendannet.</numerusform>
        </translation>
    </message>
    <message>
        <source>Restore into</source>
        <translation>Gendan i</translation>
    </message>
</context>
<context>
    <name>Wording</name>
    <message>
        <source>Starting…</source>
        <translation>Starter…</translation>
    </message>
    <message>
        <source>Paused — backups resume when you choose Resume</source>
        <translation>Sat på pause — backup fortsætter, når du vælger Fortsæt</translation>
    </message>
    <message>
        <source>Paused until {when}</source>
        <translation>Sat på pause til {when}</translation>
    </message>
    <message>
        <source>Offline — Keepsake will back up when the service can be reached</source>
        <translation>Offline — Keepsake tager backup, så snart tjenesten kan nås</translation>
    </message>
    <message>
        <source>Keepsake tries again {when}.</source>
        <translation>Keepsake prøver igen {when}.</translation>
    </message>
    <message>
        <source>Needs attention — the last backup failed</source>
        <translation>Kræver opmærksomhed — den seneste backup mislykkedes</translation>
    </message>
    <message>
        <source>Needs attention — protection stopped after an unexpected error</source>
        <translation>Kræver opmærksomhed — beskyttelsen stoppede efter en uventet fejl</translation>
    </message>
    <message>
        <source>Quit Keepsake and start it again; the log folder (Settings, About) tells what happened.</source>
        <translation>Afslut Keepsake, og start programmet igen; logmappen (Indstillinger, Om) fortæller, hvad der skete.</translation>
    </message>
    <message>
        <source>protection stopped after an unexpected error</source>
        <translation>beskyttelsen stoppede efter en uventet fejl</translation>
    </message>
    <message>
        <source>the last backup failed</source>
        <translation>den seneste backup mislykkedes</translation>
    </message>
    <message>
        <source>Not backed up yet</source>
        <translation>Der er endnu ikke taget backup</translation>
    </message>
    <message>
        <source>The first backup starts as soon as it can.</source>
        <translation>Den første backup starter, så snart den kan.</translation>
    </message>
    <message numerus="yes">
        <source>Needs attention — no backup for %n day(s)</source>
        <translation>
            <numerusform>Kræver opmærksomhed — ingen backup i %n dag</numerusform>
            <numerusform>Kræver opmærksomhed — ingen backup i %n dage</numerusform>
        </translation>
    </message>
    <message>
        <source>Protected — last backup {when}</source>
        <translation>Beskyttet — seneste backup {when}</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) could not be backed up.</source>
        <translation>
            <numerusform>%n element kunne ikke tages backup af.</numerusform>
            <numerusform>%n elementer kunne ikke tages backup af.</numerusform>
        </translation>
    </message>
    <message>
        <source>Looking for changes…</source>
        <translation>Leder efter ændringer…</translation>
    </message>
    <message>
        <source>Backing up — {percent}% done</source>
        <translation>Tager backup — {percent} % færdig</translation>
    </message>
    <message>
        <source>{done} of {total} files, {bytes_done} of {bytes_total}</source>
        <translation>{done} af {total} filer, {bytes_done} af {bytes_total}</translation>
    </message>
    <message>
        <source>about {time} left</source>
        <translation>ca. {time} tilbage</translation>
    </message>
    <message>
        <source>No backup has finished yet.</source>
        <translation>Ingen backup er gjort færdig endnu.</translation>
    </message>
    <message>
        <source>Last backup {when}.</source>
        <translation>Seneste backup {when}.</translation>
    </message>
    <message>
        <source>payment is overdue</source>
        <translation>betalingen er forfalden</translation>
    </message>
    <message>
        <source>the free account expired after a long time without backups</source>
        <translation>den gratis konto udløb efter lang tid uden backup</translation>
    </message>
    <message>
        <source>the subscription has ended</source>
        <translation>abonnementet er ophørt</translation>
    </message>
    <message>
        <source>the account is being deleted</source>
        <translation>kontoen er ved at blive slettet</translation>
    </message>
    <message>
        <source>of the subscription&apos;s state</source>
        <translation>af abonnementets status</translation>
    </message>
    <message>
        <source>Locked — backup and restore are paused because {why}</source>
        <translation>Låst — backup og gendannelse er stoppet, fordi {why}</translation>
    </message>
    <message>
        <source>Locked since {date} — backup and restore are paused because {why}</source>
        <translation>Låst siden {date} — backup og gendannelse er stoppet, fordi {why}</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>lige nu</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) ago</source>
        <translation>
            <numerusform>for %n minut siden</numerusform>
            <numerusform>for %n minutter siden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) ago</source>
        <translation>
            <numerusform>for %n time siden</numerusform>
            <numerusform>for %n timer siden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>for %n dag siden</numerusform>
            <numerusform>for %n dage siden</numerusform>
        </translation>
    </message>
    <message>
        <source>Keepsake could not do that: {detail}</source>
        <translation>Keepsake kunne ikke gøre det: {detail}</translation>
    </message>
    <message>
        <source>This PC is not signed in to a Keepsake account. Sign in, then try again.</source>
        <translation>Denne pc er ikke logget ind på en Keepsake-konto. Log ind, og prøv så igen.</translation>
    </message>
    <message>
        <source>Keepsake is not set up on this PC yet: finish setting it up, or use the recovery kit of your backup.</source>
        <translation>Keepsake er ikke sat op på denne pc endnu: gør opsætningen færdig, eller brug gendannelsessættet til din backup.</translation>
    </message>
    <message>
        <source>The key to your backup is not on this PC: finish setting up Keepsake, or use your recovery kit.</source>
        <translation>Nøglen til din backup findes ikke på denne pc: gør opsætningen af Keepsake færdig, eller brug dit gendannelsessæt.</translation>
    </message>
    <message>
        <source>The current password is wrong; your password was not changed.</source>
        <translation>Den nuværende adgangskode er forkert; din adgangskode blev ikke ændret.</translation>
    </message>
    <message>
        <source>The service did not accept the new password ({detail}).</source>
        <translation>Tjenesten godkendte ikke den nye adgangskode ({detail}).</translation>
    </message>
    <message>
        <source>The Keepsake service cannot do this yet: it is older than this app.</source>
        <translation>Keepsake-tjenesten kan ikke gøre dette endnu: den er ældre end dette program.</translation>
    </message>
    <message>
        <source>This account is already in use on as many PCs as its plan allows. Sign out of Keepsake on a PC you no longer use, or choose a plan with more PCs.</source>
        <translation>Denne konto bruges allerede på så mange pc&apos;er, som abonnementet tillader. Log ud af Keepsake på en pc, du ikke længere bruger, eller vælg et abonnement med flere pc&apos;er.</translation>
    </message>
    <message>
        <source>Keepsake could not use this PC&apos;s keychain, where it keeps your sign-in and the key to your backup ({detail}). If the keychain is locked, unlock it and try again.</source>
        <translation>Keepsake kunne ikke bruge pc&apos;ens nøglering, hvor dit login og nøglen til din backup gemmes ({detail}). Hvis nøgleringen er låst, så lås den op, og prøv igen.</translation>
    </message>
    <message>
        <source>Keepsake could not check or change whether it starts when you sign in ({detail}).</source>
        <translation>Keepsake kunne ikke tjekke eller ændre, om programmet starter, når du logger på ({detail}).</translation>
    </message>
    <message>
        <source>Another Keepsake program on this PC is already backing up these folders (the Keepsake app, keepsake agent or keepsake backup). Quit it, or try again when it has finished.</source>
        <translation>Et andet Keepsake-program på denne pc tager allerede backup af disse mapper (Keepsake-programmet, keepsake agent eller keepsake backup). Afslut det, eller prøv igen, når det er færdigt.</translation>
    </message>
    <message>
        <source>That is not a recovery code: a recovery code has {length} letters and digits (2–7), like {example}.</source>
        <translation>Det er ikke en gendannelseskode: en gendannelseskode har {length} bogstaver og cifre (2–7), fx {example}.</translation>
    </message>
    <message>
        <source>The recovery kit could not be read ({detail}). Check that you chose the right file, or look for typing mistakes if you typed it in.</source>
        <translation>Gendannelsessættet kunne ikke læses ({detail}). Tjek, at du har valgt den rigtige fil, eller se efter tastefejl, hvis du har skrevet det ind.</translation>
    </message>
    <message>
        <source>For safety, nothing was written to {name} ({reason}).</source>
        <translation>Af sikkerhedshensyn blev der ikke skrevet noget til {name} ({reason}).</translation>
    </message>
    <message>
        <source>The list of backups from the Keepsake service does not match what this PC saw before, so Keepsake does not use it ({detail}).</source>
        <translation>Listen over backups fra Keepsake-tjenesten passer ikke med det, denne pc har set før, så Keepsake bruger den ikke ({detail}).</translation>
    </message>
    <message>
        <source>Keepsake could not find that ({detail}).</source>
        <translation>Keepsake kunne ikke finde det ({detail}).</translation>
    </message>
    <message>
        <source>Part of your stored backup is missing on the Keepsake service ({detail}).</source>
        <translation>En del af din gemte backup mangler på Keepsake-tjenesten ({detail}).</translation>
    </message>
    <message>
        <source>This backup was not saved: part of its data had not reached the Keepsake service, or had expired there. The next backup tries again.</source>
        <translation>Denne backup blev ikke gemt: en del af dens data var ikke nået frem til Keepsake-tjenesten eller var udløbet der. Den næste backup prøver igen.</translation>
    </message>
    <message>
        <source>This backup was not saved: the Keepsake service did not accept it ({detail}). The next backup tries again.</source>
        <translation>Denne backup blev ikke gemt: Keepsake-tjenesten godkendte den ikke ({detail}). Den næste backup prøver igen.</translation>
    </message>
    <message>
        <source>The Keepsake service did not accept that ({detail}).</source>
        <translation>Keepsake-tjenesten godkendte det ikke ({detail}).</translation>
    </message>
    <message>
        <source>That could not be done ({detail}); trying the same again will not help.</source>
        <translation>Det kunne ikke lade sig gøre ({detail}); det hjælper ikke at prøve det samme igen.</translation>
    </message>
    <message>
        <source>Keepsake had a problem with the place where your backup is stored ({detail}).</source>
        <translation>Keepsake havde et problem med stedet, hvor din backup er gemt ({detail}).</translation>
    </message>
    <message>
        <source>This PC reported a problem: {reason}.</source>
        <translation>Pc&apos;en meldte om et problem: {reason}.</translation>
    </message>
    <message>
        <source>There was a problem with {name}: {reason}.</source>
        <translation>Der opstod et problem med {name}: {reason}.</translation>
    </message>
    <message>
        <source>a minute</source>
        <translation>et minut</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minut</numerusform>
            <numerusform>%n minutter</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n time</numerusform>
            <numerusform>%n timer</numerusform>
        </translation>
    </message>
    <message>
        <source>tomorrow {time}</source>
        <translation>i morgen {time}</translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation>ubegrænset</translation>
    </message>
    <message>
        <source>That passphrase or recovery code does not open this recovery kit.</source>
        <translation>Den adgangssætning eller gendannelseskode åbner ikke dette gendannelsessæt.</translation>
    </message>
    <message>
        <source>The service did not accept the e-mail address and password.</source>
        <translation>Tjenesten godkendte ikke e-mailadressen og adgangskoden.</translation>
    </message>
    <message>
        <source>Your storage is full: {used} of {allowed} used.</source>
        <translation>Din lagerplads er fuld: {used} af {allowed} brugt.</translation>
    </message>
    <message>
        <source>The Keepsake service could not be reached ({detail}).</source>
        <translation>Keepsake-tjenesten kunne ikke nås ({detail}).</translation>
    </message>
    <message>
        <source>Damaged data was found and not used: {detail}</source>
        <translation>Der blev fundet beskadigede data, som ikke blev brugt: {detail}</translation>
    </message>
    <message>
        <source>Something unexpected went wrong: {detail}</source>
        <translation>Noget uventet gik galt: {detail}</translation>
    </message>
</context>
</TS>
