; Included by electron-builder's NSIS installer (electron-builder.json, nsis.include).
; electron-builder writes `protocols` into the macOS Info.plist and the Linux .desktop file, but its
; NSIS target does not register them, so the installer registers groundwork:// (invite links)
; itself, in the same hive as the install (per user or per machine), and the uninstaller removes it.
; The app also registers itself at start (app.setAsDefaultProtocolClient in src-main/electron/main.ts).

!macro customInstall
  WriteRegStr SHELL_CONTEXT "Software\Classes\groundwork" "" "URL:Groundwork invite"
  WriteRegStr SHELL_CONTEXT "Software\Classes\groundwork" "URL Protocol" ""
  WriteRegStr SHELL_CONTEXT "Software\Classes\groundwork\DefaultIcon" "" "$INSTDIR\${APP_EXECUTABLE_FILENAME},0"
  WriteRegStr SHELL_CONTEXT "Software\Classes\groundwork\shell\open\command" "" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"'
!macroend

!macro customUnInstall
  DeleteRegKey SHELL_CONTEXT "Software\Classes\groundwork"
!macroend
