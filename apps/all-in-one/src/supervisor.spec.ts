import { spawn } from 'node:child_process';
import { waitFor } from '@aftersales/testing';
import { planServices, restartDelayMs, Supervisor } from './supervisor';

describe('start:distributed supervisor', () => {
  describe('ports and services from the environment', () => {
    it('runs all six on AFTERSALES_PORT_BASE + 1…6, never forcing one PORT on all of them', () => {
      expect(planServices({ AFTERSALES_PORT_BASE: '45000', PORT: '9999' })).toEqual([
        { name: 'intake', port: 45001 },
        { name: 'case', port: 45002 },
        { name: 'escalation', port: 45003 },
        { name: 'spares', port: 45004 },
        { name: 'survey', port: 45005 },
        { name: 'notify', port: 45006 },
      ]);
      expect(planServices({}).map((s) => s.port)).toEqual([3001, 3002, 3003, 3004, 3005, 3006]);
    });

    it('takes <SERVICE>_PORT per service, PORT for a single picked service, and refuses clashes and unknown names', () => {
      expect(planServices({ AFTERSALES_SERVICES: 'case, notify', CASE_PORT: '4100', AFTERSALES_PORT_BASE: '5000' })).toEqual([
        { name: 'case', port: 4100 },
        { name: 'notify', port: 5006 },
      ]);
      expect(planServices({ AFTERSALES_SERVICES: 'survey', PORT: '4321' })).toEqual([{ name: 'survey', port: 4321 }]);
      expect(() => planServices({ AFTERSALES_SERVICES: 'intake,billing' })).toThrow(/billing/);
      expect(() => planServices({ INTAKE_PORT: '3002' })).toThrow(/3002/);
      expect(() => planServices({ AFTERSALES_PORT_BASE: 'x' })).toThrow(/AFTERSALES_PORT_BASE/);
    });

    it('backs off restarts of a service that keeps dying', () => {
      expect([1, 2, 3, 4, 10].map(restartDelayMs)).toEqual([500, 1000, 2000, 4000, 30_000]);
    });
  });

  describe('processes', () => {
    let supervisor: Supervisor | undefined;
    afterEach(() => supervisor?.stop(5_000));

    /** a stand-in service: a real process that runs until killed and exits 78 when told to */
    const launch = (s: { name: string }, env: NodeJS.ProcessEnv) =>
      spawn(process.execPath, ['-e', `if (process.env.FAIL_${s.name.toUpperCase()}) process.exit(78); setInterval(() => {}, 1000);`], {
        env,
        stdio: 'ignore',
      });

    it('restarts a killed service while the others keep running, and stops them all on stop()', async () => {
      const lines: string[] = [];
      supervisor = new Supervisor(planServices({ AFTERSALES_SERVICES: 'intake,case,notify' }), {
        env: {},
        launch,
        log: (l) => lines.push(l),
      });
      supervisor.start();
      const before = supervisor.pids();
      process.kill(before.case!, 'SIGKILL');
      const after = await waitFor('case restarted', () => {
        const p = supervisor!.pids();
        return p.case !== undefined && p.case !== before.case ? p : undefined;
      });
      expect(after.intake).toBe(before.intake);
      expect(after.notify).toBe(before.notify);
      expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^case exited \(SIGKILL\); restarting/)]));
      const pids = Object.values(after) as number[];
      await supervisor.stop(5_000);
      const alive = pids.filter((pid) => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      });
      expect(alive).toEqual([]);
      expect(supervisor.pids()).toEqual({ intake: undefined, case: undefined, notify: undefined });
    });

    it('leaves a service with a configuration error down, the others up', async () => {
      const lines: string[] = [];
      supervisor = new Supervisor(planServices({ AFTERSALES_SERVICES: 'spares,survey' }), {
        env: { FAIL_SURVEY: '1' },
        launch,
        log: (l) => lines.push(l),
      });
      supervisor.start();
      await waitFor('survey given up', () => lines.find((l) => /^survey exited with a configuration error/.test(l)));
      expect(supervisor.pids().spares).toEqual(expect.any(Number));
      expect(supervisor.pids().survey).toBeUndefined();
    });
  });
});
