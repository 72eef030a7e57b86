/**
 * The application menu: the platform's standard menus, built from roles so shortcuts, labels
 * and translations are the OS's own (copy/paste in inputs depends on the Edit menu on macOS).
 */
import { Menu, shell, type MenuItemConstructorOptions } from 'electron';

export function installAppMenu(options: { dataDir: string }): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        {
          label: 'Show Data Folder',
          click: () => void shell.openPath(options.dataDir),
        },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
