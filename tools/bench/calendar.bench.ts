// the escalation service's domain core is plain TypeScript, so it is measured here without the service around it
export { benchCalendar } from '../../services/escalation/src/domain/bench-calendar';
