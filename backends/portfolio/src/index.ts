// Library entry of the reference portfolio backend (importable without tsx).
export { startPusherServer, channelKind, validateChannelName } from './pusher/server';
export type { PusherAppConfig, PusherServerOptions, PusherServerHandle } from './pusher/server';
export { hmacHex, md5Hex, signChannel, signUser, signApiRequest, apiStringToSign } from './pusher/signing';
export { startChatApi } from './api/server';
export type { ChatApiOptions, ChatApiHandle, ChatApiPusherConfig } from './api/server';
export type { MessageJson, ConversationStatus, SenderType } from './api/db';
export { sendMessageSchema, createSessionSchema } from './api/validation';
export { startPortfolioBackend, DEMO_ADMIN } from './backend';
export type { PortfolioBackendOptions, PortfolioBackendHandle } from './backend';
export { startSimulator } from './simulator';
export type { SimulatorOptions, SimulatorHandle, SimulatorStats } from './simulator';
export { seedDemo, DEMO_CONVERSATIONS } from './seed';
export { BackendFaults, FAULTS_PATH } from './faults';
export type { FaultRule, FaultAnswer } from './faults';
export * from './deployed/index';
