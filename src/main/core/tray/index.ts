// The public face of the tray images; the shell imports from here.
export { renderTrayIcon, type TrayIconOptions } from './tray-icon';
export { renderTemplateTrayIcon } from './template-icon';
export { renderOverlayBadge, type OverlayBadgeOptions } from './overlay-badge';
export { badgeLabel, MIN_SIZE, MAX_SIZE, type TrayState } from './layers';
export { encodePng } from './png';
export type { RgbaImage } from './image';
