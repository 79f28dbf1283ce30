// The as-deployed flavour of the portfolio reference backend (see README.md here).
export { startDeployedBackend, DEPLOYED_DEMO_ADMIN } from './backend';
export type { DeployedBackendOptions, DeployedBackendHandle } from './backend';
export { startDeployedChatApi } from './server';
export type { DeployedChatApiOptions, DeployedChatApiHandle } from './server';
export { mintAdminSession, readAdminSession, SESSION_COOKIE, SESSION_TTL_SECONDS } from './session-cookie';
export { deployedConfigFromEnv } from './config';
export { seedDeployedDemo } from './seed';
export { cannedReply } from './ai-responder';
export type { DeployedMessageJson } from './wire';
