import { applyDecorators, Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

/** A controller of `path` behind a bearer token, tagged `path` in the OpenAPI document. */
export const ApiController = (path: string) => applyDecorators(ApiTags(path), ApiBearerAuth(), Controller(path));
