/** The all-in-one's development JWT secret (kept apart so `npm run seed` starts without loading the services). */
export const DEV_JWT_SECRET = 'aftersales-development-secret-change-me';
