<#
.SYNOPSIS
  Build drillplan for Windows with one command: the PyInstaller bundle, its zip, and the
  per-user Inno Setup installer.

.DESCRIPTION
  Run from the repository root in PowerShell on a Windows PC with Python 3.11 (py launcher)
  and Inno Setup 6 (ISCC.exe):
      powershell -ExecutionPolicy Bypass -File scripts\build-windows.ps1
  Steps, the same as `make dist` on Linux:
    1. a fresh venv .venv-dist with Python 3.11
    2. the locked dependencies with their hashes (requirements.lock, --require-hashes)
       and drillplan itself (no dependencies of its own resolved: all come from the lock)
    3. PyInstaller with packaging\drillplan.spec -> dist\drillplan\ (drillplan.exe, drillplanw.exe)
    4. a smoke run of the bundle (--version, demo, readiness report) in a temporary folder
    5. dist\drillplan-<version>-windows-x64.zip and, with Inno Setup,
       dist\drillplan-<version>-setup.exe (packaging\drillplan.iss)

  NOTE: this script was written and reviewed on Linux; it was NOT run on Windows there.
  What was checked instead: the same spec builds and passes its smoke test on Linux from an
  empty environment (make dist, make dist-smoke in CI); the lock is universal (uv
  --universal) and carries the Windows-only packages PyInstaller needs (pefile,
  pywin32-ctypes) with their hashes; the product has no POSIX-only calls
  (tests/test_windows_portability.py).

.PARAMETER Python
  The Python 3.11 to build with (default: the py launcher's 3.11).
.PARAMETER Iscc
  Path of ISCC.exe (default: found on PATH or in the usual Inno Setup 6 folders).
.PARAMETER SkipInstaller
  Build the bundle and zip only.
#>
[CmdletBinding()]
param(
    [string]$Python = "",
    [string]$Iscc = "",
    [switch]$SkipInstaller
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root
$Venv = Join-Path $Root ".venv-dist"
$VenvPython = Join-Path $Venv "Scripts\python.exe"
$Dist = Join-Path $Root "dist"
$Bundle = Join-Path $Dist "drillplan"

function Invoke-Checked {
    param([string]$Exe, [string[]]$Arguments)
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "failed ($LASTEXITCODE): $Exe $($Arguments -join ' ')" }
}

# 1. the venv, with Python 3.11 exactly (the lock is for 3.11)
if (-not $Python) {
    if (-not (Get-Command py -ErrorAction SilentlyContinue)) {
        throw "Python 3.11 not found: install it from python.org (with the py launcher) or pass -Python C:\path\python.exe"
    }
    $Python = (& py -3.11 -c "import sys; print(sys.executable)").Trim()
    if ($LASTEXITCODE -ne 0) { throw "py -3.11 failed: install Python 3.11" }
}
$Version = (& $Python -c "import sys; print('%d.%d' % sys.version_info[:2])").Trim()
if ($Version -ne "3.11") { throw "need Python 3.11, $Python is $Version" }
if (Test-Path $Venv) { Remove-Item -Recurse -Force $Venv }
Invoke-Checked $Python @("-m", "venv", $Venv)

# 2. the locked dependencies (hashes checked), then drillplan without resolving anything
Invoke-Checked $VenvPython @("-m", "pip", "install", "--quiet", "--require-hashes", "--no-deps", "-r", "requirements.lock")
Invoke-Checked $VenvPython @("-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", ".")
$AppVersion = (& $VenvPython -c "import importlib.metadata as m; print(m.version('drillplan'))").Trim()

# 3. the bundle
foreach ($old in @($Bundle, (Join-Path $Root "build\pyinstaller"))) {
    if (Test-Path $old) { Remove-Item -Recurse -Force $old }
}
Invoke-Checked $VenvPython @("-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
    "--distpath", $Dist, "--workpath", (Join-Path $Root "build\pyinstaller"), "packaging\drillplan.spec")

# 4. smoke run: the console program, a throw-away database whose folder has Chinese in it
$Exe = Join-Path $Bundle "drillplan.exe"
$Smoke = Join-Path ([System.IO.Path]::GetTempPath()) "drillplan-smoke-演示"
if (Test-Path $Smoke) { Remove-Item -Recurse -Force $Smoke }
New-Item -ItemType Directory -Path $Smoke | Out-Null
$Db = Join-Path $Smoke "演示.sqlite3"
Invoke-Checked $Exe @("--version")
Invoke-Checked $Exe @("--db", $Db, "demo")
Invoke-Checked $Exe @("--db", $Db, "report", "readiness", "-o", (Join-Path $Smoke "就绪报告.pdf"))
Invoke-Checked $Exe @("--db", $Db, "export", "teams", (Join-Path $Smoke "队伍.csv"))
$Csv = [System.IO.File]::ReadAllBytes((Join-Path $Smoke "队伍.csv"))
if (-not ([System.Text.Encoding]::UTF8.GetString($Csv).Contains("`r`n"))) { throw "CSV export has no CRLF line ends" }
$env:QT_QPA_PLATFORM = "offscreen"
Invoke-Checked $Exe @("--db", $Db, "screenshot", "--out", (Join-Path $Smoke "shots"))
Remove-Item Env:\QT_QPA_PLATFORM
Remove-Item -Recurse -Force $Smoke

# 5. the zip and the installer
$Zip = Join-Path $Dist "drillplan-$AppVersion-windows-x64.zip"
if (Test-Path $Zip) { Remove-Item -Force $Zip }
Compress-Archive -Path $Bundle -DestinationPath $Zip
Write-Host "bundle: $Bundle"
Write-Host "zip:    $Zip"

if ($SkipInstaller) { return }
if (-not $Iscc) {
    $found = Get-Command ISCC.exe -ErrorAction SilentlyContinue
    if ($found) { $Iscc = $found.Source }
    foreach ($guess in @("${env:LOCALAPPDATA}\Programs\Inno Setup 6\ISCC.exe",
                         "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
                         "${env:ProgramFiles}\Inno Setup 6\ISCC.exe")) {
        if (-not $Iscc -and (Test-Path $guess)) { $Iscc = $guess }
    }
}
if (-not $Iscc) { throw "Inno Setup 6 (ISCC.exe) not found: install it (winget install JRSoftware.InnoSetup) or pass -Iscc, or use -SkipInstaller" }
Invoke-Checked $Iscc @("/Q", "/DAppVersion=$AppVersion", "/DBundleDir=$Bundle", "/DOutputDir=$Dist", "packaging\drillplan.iss")
Write-Host "installer: $(Join-Path $Dist "drillplan-$AppVersion-setup.exe")"
