export { startServer, type StartServerOptions, type RunningServer } from './start-server';
export { readServerConfig, type ServerConfig, type ReadServerConfigOptions } from './server-config';
