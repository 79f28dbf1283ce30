// The one list of the kinds this build speaks. A new kind adds its folder and one line here
// (and its input schemas in src/shared/kinds).
import { djangoChatKind } from './django-chat/kind';
import { djangoNotificationsKind } from './django-notifications/kind';
import { jwtWsKind } from './jwt-ws/kind';
import { openmanusKind } from './openmanus/kind';
import { portfolioKind } from './portfolio/kind';
import type { AnyKindDefinition } from './registry';

export const builtInKinds: readonly AnyKindDefinition[] = [portfolioKind, djangoChatKind, djangoNotificationsKind, jwtWsKind, openmanusKind];
