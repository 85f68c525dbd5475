; Inno Setup script: the per-user installer of drillplan for Windows.
; Built by scripts/build-windows.ps1 (ISCC.exe packaging\drillplan.iss /DAppVersion=0.1.0
; /DBundleDir=...\dist\drillplan /DOutputDir=...\dist) from the PyInstaller one-folder bundle.
;  - installs per user, without administrator rights, into %LOCALAPPDATA%\Programs\drillplan
;  - Start-menu entry (the window program drillplanw.exe, no console) and an uninstaller
;  - the data (%LOCALAPPDATA%\drillplan: database, backups, settings) is never installed or
;    deleted by this installer: uninstalling removes only the program folder.
; NOT RUN ON WINDOWS during development (see docs/install.md, "For the IT person").

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef BundleDir
  #define BundleDir "..\dist\drillplan"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist"
#endif

[Setup]
; AppId must stay the same for every version: updates install over the previous one.
AppId={{7B3C2E1A-5D4F-4C8B-9E2A-D81F6A0C3B57}
AppName=drillplan 应急预案与演练管理
AppVersion={#AppVersion}
AppVerName=drillplan {#AppVersion}
AppPublisher=drillplan
DefaultDirName={localappdata}\Programs\drillplan
DefaultGroupName=drillplan
DisableProgramGroupPage=yes
DisableDirPage=auto
; per user: no UAC prompt, no admin rights, everything under the user's own profile
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename=drillplan-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayName=drillplan {#AppVersion}
UninstallDisplayIcon={app}\drillplanw.exe
; close a running drillplan before files are replaced (update) or removed (uninstall)
CloseApplications=yes
CloseApplicationsFilter=drillplan.exe,drillplanw.exe

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; the whole one-folder bundle; an update first deletes the old _internal (see [InstallDelete])
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; an update must not keep library files of the previous version beside the new ones
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\drillplan 应急预案与演练管理"; Filename: "{app}\drillplanw.exe"; WorkingDir: "{userdocs}"
Name: "{group}\卸载 drillplan (Uninstall)"; Filename: "{uninstallexe}"
Name: "{userdesktop}\drillplan 应急预案与演练管理"; Filename: "{app}\drillplanw.exe"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\drillplanw.exe"; Description: "{cm:LaunchProgram,drillplan}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; only what the installer itself put in {app}; %LOCALAPPDATA%\drillplan (the data) is not
; listed here nor anywhere else in this script, so the uninstaller never touches it.
Type: filesandordirs; Name: "{app}\_internal"
