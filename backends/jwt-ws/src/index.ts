// Library entry of the jwt-ws reference backend (plain TypeScript, importable without tsx).
export { startJwtWsServer, DEFAULT_ORIGINS } from './server';
export type { JwtWsServerOptions, JwtWsServerHandle } from './server';
export { startJwtWsBackend } from './backend';
export type { JwtWsBackendOptions, JwtWsBackendHandle } from './backend';
export { startSimulator, SIM_PASSWORD } from './simulator';
export type { SimulatorOptions, SimulatorHandle, SimulatorStats } from './simulator';
export { DEMO_OWNER, DEMO_MEMBERS, DEMO_MEMBER_PASSWORD, DEMO_GROUP_HISTORY, seedDemo } from './seed';
export { ChatService, ServiceError, messageJson } from './service';
export type { MessageJson, TokenPair } from './service';
export { encodeFrame } from './hub';
export { RateLimiter, realIp } from './rate-limit';
