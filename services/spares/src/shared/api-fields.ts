import { ApiPropertyOptional } from '@nestjs/swagger';

/** An OpenAPI text field that may be null. */
export const NullableText = () => ApiPropertyOptional({ type: String, nullable: true });

/** An OpenAPI instant (ISO 8601) that may be null: not happened yet. */
export const NullableInstant = () => ApiPropertyOptional({ type: String, format: 'date-time', nullable: true });
