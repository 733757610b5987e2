namespace Vigil.Lab.Tests;
