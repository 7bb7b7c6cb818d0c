import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { portInUse } from './free-port';
import { StackError } from './stack-error';

export interface RedisServerOptions {
  port: number;
  dir: string;
  /** Append-only file for the dev stack; nothing on disk for throwaway test instances. */
  persist: boolean;
}

export interface RunningRedis {
  url: string;
  /** The redis-server process, so a later run can reap it if this one dies without stop(). */
  pid: number;
  stop(): Promise<void>;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/** Starts a redis-server child process on a loopback port; it ends with us or with stop(). */
export async function startRedisServer({ port, dir, persist }: RedisServerOptions): Promise<RunningRedis> {
  if (await portInUse(port)) {
    throw new StackError(
      'PORT_IN_USE',
      `port ${port} for Redis is already in use`,
      'stop that program or choose another port with STORYFORGE_REDIS_PORT',
    );
  }
  mkdirSync(dir, { recursive: true });
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--daemonize', 'no'];
  args.push('--appendonly', persist ? 'yes' : 'no', '--logfile', persist ? 'redis.log' : '');
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  let exited = false;
  child.on('exit', () => (exited = true));
  for (let attempt = 0; attempt < 100 && !exited; attempt++) {
    if (await ping(port)) {
      return {
        url: `redis://127.0.0.1:${port}`,
        pid: child.pid ?? 0,
        stop: () =>
          new Promise<void>((resolve) => {
            if (exited) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new StackError('REDIS_START_FAILED', `redis-server did not answer on port ${port}`, `see ${dir}/redis.log`);
}
