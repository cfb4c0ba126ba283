<#
.SYNOPSIS
  Runs Serial Bridge at boot as a Windows service, with nobody logged in (docs/desktop.md).

.DESCRIPTION
  Wraps the installed app's headless mode ("Serial Bridge.exe" --headless --config FILE) in
  WinSW, a maintained service wrapper (MIT, github.com/winsw/winsw): installs and starts the
  service "SerialBridge", which starts at boot, restarts after a crash and logs to a file that
  rotates by size. Run it in an elevated PowerShell. -Uninstall removes the service again.

.EXAMPLE
  .\install-service.ps1 -Config "C:\ProgramData\Serial Bridge\bridge.json"
.EXAMPLE
  .\install-service.ps1 -Uninstall
#>
param(
  # The settings file: the same format the app exports (Settings → Export settings).
  [string]$Config,
  # The installed app (per-user installs land under %LOCALAPPDATA%\Programs).
  [string]$Exe = "$env:LOCALAPPDATA\Programs\Serial Bridge\Serial Bridge.exe",
  # Logs, the wrapper and the auto TLS certificate live here.
  [string]$DataDir = "$env:ProgramData\Serial Bridge",
  # A WinSW-x64.exe you downloaded yourself; without it the pinned release is downloaded.
  [string]$WinSW,
  [string]$ServiceId = 'SerialBridge',
  [switch]$Uninstall
)

$ErrorActionPreference = 'Stop'
# WinSW 2.12.0: the current stable release (3.x is still a pre-release).
$WinSWVersion = '2.12.0'
$WinSWUrl = "https://github.com/winsw/winsw/releases/download/v$WinSWVersion/WinSW-x64.exe"

$principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
  throw 'Run this script in an elevated PowerShell (Run as administrator): it installs a service.'
}

$serviceDir = Join-Path $DataDir 'service'
$wrapper = Join-Path $serviceDir "$ServiceId.exe"

if ($Uninstall) {
  if (Test-Path $wrapper) {
    & $wrapper stop | Out-Host
    & $wrapper uninstall | Out-Host
  }
  Write-Host "Service $ServiceId removed. Logs and settings stay in $DataDir."
  exit 0
}

if (-not $Config) { throw '-Config FILE is required: the settings file the service runs with.' }
$Config = (Resolve-Path $Config).Path
if (-not (Test-Path $Exe)) { throw "Serial Bridge is not installed at $Exe (give -Exe PATH)." }
$logDir = Join-Path $DataDir 'logs'
New-Item -ItemType Directory -Force -Path $serviceDir, $logDir | Out-Null

if ($WinSW) {
  Copy-Item $WinSW $wrapper -Force
} elseif (-not (Test-Path $wrapper)) {
  Write-Host "Downloading WinSW $WinSWVersion from $WinSWUrl"
  Invoke-WebRequest -Uri $WinSWUrl -OutFile $wrapper -UseBasicParsing
}
# Compare with the checksum on the release page before trusting it with a service.
Write-Host ("WinSW SHA-256: " + (Get-FileHash $wrapper -Algorithm SHA256).Hash)

function Escape([string]$text) { [Security.SecurityElement]::Escape($text) }
$bridgeLog = Join-Path $logDir 'bridge.log'
# The bridge rotates its own log (--log: 10 MiB, five kept); WinSW's own output rolls by size.
@"
<service>
  <id>$ServiceId</id>
  <name>Serial Bridge</name>
  <description>Serial ports to WebSocket and MQTT for lab tools, without a window.</description>
  <executable>$(Escape $Exe)</executable>
  <arguments>--headless --config "$(Escape $Config)" --log "$(Escape $bridgeLog)" --data "$(Escape $DataDir)"</arguments>
  <workingdirectory>$(Escape $DataDir)</workingdirectory>
  <startmode>Automatic</startmode>
  <delayedAutoStart>true</delayedAutoStart>
  <onfailure action="restart" delay="10 sec"/>
  <onfailure action="restart" delay="60 sec"/>
  <resetfailure>1 hour</resetfailure>
  <stoptimeout>15 sec</stoptimeout>
  <logpath>$(Escape $logDir)</logpath>
  <log mode="roll-by-size">
    <sizeThreshold>1024</sizeThreshold>
    <keepFiles>3</keepFiles>
  </log>
</service>
"@ | Set-Content -Encoding UTF8 (Join-Path $serviceDir "$ServiceId.xml")

& $wrapper install | Out-Host
& $wrapper start | Out-Host
Write-Host "Service $ServiceId installed and started; it starts at boot."
Write-Host "Log: $bridgeLog"
