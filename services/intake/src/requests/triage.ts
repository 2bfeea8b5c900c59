// the triage rules live in domain/; the request DTO takes its vocabularies (fault kinds, impacts) from here
export * from '../domain/triage';
